-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (sweep_exclude runs without the budget: hangs)
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2, 3 } },
  sweep_exclude = function(p)
    while true do pcall(error, "again") end
  end,
}
