-- expect: exit 2
-- message: sweep_exclude
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
  sweep_exclude = function(p) error() end,
}
