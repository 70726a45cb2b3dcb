-- expect: exit 2
-- message: sweep_exclude
return {
  devices = { { count = 10 } },
  sweep = { ["devices[1].count"] = { 10, 20 } },
  sweep_exclude = function(p) error({ reason = "bad point" }) end,
}
