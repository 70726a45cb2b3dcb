-- expect: exit 2
-- message: first line
-- line: 4
error("first line\nsecond line")
return { devices = { { count = 1 } } }
