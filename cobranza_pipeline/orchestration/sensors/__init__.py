"""Sensors: the optional raw-change trigger and the two alert sensors."""
