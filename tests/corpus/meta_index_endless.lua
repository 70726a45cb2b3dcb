-- expect: exit 2
-- message: has a metatable
-- Tables with a metatable are refused before any metamethod could run.
local lazy = setmetatable({ count = 10 }, {
  __index = function(t, k) while true do end end,
})
return { devices = { lazy } }
