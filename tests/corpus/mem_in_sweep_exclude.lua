-- expect: exit 2
-- message: sweep_exclude
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
  sweep_exclude = function(p)
    local s = ("x"):rep(1 << 30)
    return #s > 0
  end,
}
