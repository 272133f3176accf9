-- Records, on a function, the file it was built from and the hashes that tell it is current.
-- Grain: one function; <function> is an identifier, <signature> its argument types from the
-- catalog, <comment> a literal, all composed by the caller.
comment on function {function}({signature}) is {comment}
