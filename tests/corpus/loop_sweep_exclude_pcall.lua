-- expect: exit 2
-- message: endless loop
-- Each pcall(error) costs far more than its few instructions: the CPU-time limit stops it.
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2, 3 } },
  sweep_exclude = function(p)
    while true do pcall(error, "again") end
  end,
}
