-- expect: exit 2
-- message: __gc finalisers are not available
-- (refused: Lua runs finalisers outside the instruction budget)
-- An error in a finalizer at close is a warning in Lua 5.4, not a failure.
setmetatable({}, { __gc = function() error("finalizer failed") end })
return { devices = { { count = 1 } } }
