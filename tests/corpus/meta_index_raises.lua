-- expect: exit 2
-- message: no such field
-- known-failing: lua/protected calls (__index raising during conversion: abort)
local strict = {
  __index = function(t, k) error("no such field: " .. tostring(k), 2) end,
}
return {
  devices = { setmetatable({ count = 10 }, strict) },
}
