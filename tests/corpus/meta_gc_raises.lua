-- expect: exit 0
-- An error in a finalizer at close is a warning in Lua 5.4, not a failure.
setmetatable({}, { __gc = function() error("finalizer failed") end })
return { devices = { { count = 1 } } }
