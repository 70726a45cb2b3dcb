-- expect: exit 2
-- message: name: must be at most 127 bytes
return { name = string.rep("meters-", 40), devices = { { count = 1 } } }
