-- expect: exit 2
-- message: sweep_exclude: excludes every point
return {
  devices = { { count = 10 } },
  sweep = { ["devices[1].count"] = { 10, 20 } },
  sweep_exclude = function(p) return p["devices[1].count"] > 0 end,
}
