-- Records, on a view, the file it was built from and the hashes that tell it is current.
-- Grain: one view; <view> is an identifier, <comment> a literal, both composed by the caller.
comment on view {view} is {comment}
