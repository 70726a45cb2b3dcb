-- expect: exit 0
-- args: check --set name=ok
-- The scenario changes the string metatable; --set values are still read.
getmetatable("").__index = function(s, k) error("no string methods here") end
return { devices = { { count = 1 } } }
