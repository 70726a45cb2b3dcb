-- expect: exit 2
-- message: __gc finalisers are not available
-- (refused: Lua runs finalisers outside the instruction budget)
-- Each finalizer registers another; Lua stops finalizing new objects once
-- the state is closing, so the load ends.
local function again()
  setmetatable({}, { __gc = again })
end
again()
return { devices = { { count = 1 } } }
