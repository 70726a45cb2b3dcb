-- expect: exit 2
-- message: attempt to index a nil value
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
  sweep_exclude = function(p) return p.cell.rat == "ltem" end,
}
