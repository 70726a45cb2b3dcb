-- expect: exit 2
-- message: binary chunk
local f = assert(load(string.dump(function() return 10 end)))
return { devices = { { count = f() } } }
