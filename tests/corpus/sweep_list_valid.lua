-- expect: exit 0
-- args: sweep --list
return {
  devices = { { count = 1, traffic = { kind = "periodic", period_s = 60 } } },
  sweep = {
    ["cell.rat"] = { "nbiot", "ltem" },
    { ["devices[1].count"] = { 1, 2 }, ["devices[1].traffic.period_s"] = { 60, 120 } },
  },
  sweep_exclude = function(p) return p["cell.rat"] == "ltem" and p["devices[1].count"] == 2 end,
}
