-- expect: exit 2
-- message: sweep_exclude: given without a sweep
return {
  devices = { { count = 1 } },
  sweep_exclude = function(p) return false end,
}
