-- expect: exit 2
-- message: endless loop
return {
  devices = { { count = 10 } },
  sweep = { ["devices[1].count"] = { 10, 20 } },
  sweep_exclude = function(p)
    while p do end
  end,
}
