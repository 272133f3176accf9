"""The dashboard's filters and queries as plain Python over sql/queries/: shared by the HTTP
API, the latency check and the benchmark."""
