-- expect: exit 2
-- message: locked
-- args: check
-- known-failing: lua/protected calls (removing sweep from a locked root goes through __newindex: abort)
local s = {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
}
local proxy = setmetatable({}, {
  __index = s,
  __newindex = function() error("locked") end,
})
return proxy
