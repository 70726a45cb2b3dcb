-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (the budget is off during conversion: __index loops for ever)
local lazy = setmetatable({ count = 10 }, {
  __index = function(t, k) while true do end end,
})
return { devices = { lazy } }
