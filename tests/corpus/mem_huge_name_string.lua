-- expect: exit 2
-- message: name: must be at most 127 bytes
return { name = string.rep("n", 4 * 1024 * 1024), devices = { { count = 1 } } }
