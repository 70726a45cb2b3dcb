-- expect: exit 2
-- message: attempt to call a nil value
-- The refused load returns nil and the script calls it.
local f = load(string.dump(function() return 1 end))
return { devices = { { count = f() } } }
