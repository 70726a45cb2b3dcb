-- expect: exit 2
-- message: name: must be at most 127 bytes without NUL
return { name = "quick\0start", devices = { { count = 1 } } }
