-- expect: exit 2
-- message: devices[1].name
-- A string holding the bytes of a binary chunk header is just a string.
return { devices = { { count = 1, name = "\27LuaT\0\25\147\r\n\26\n" } } }
