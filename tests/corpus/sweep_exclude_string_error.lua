-- expect: exit 2
-- message: no such point
-- line: 7
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].count"] = { 1, 2 } },
  sweep_exclude = function(p) error("no such point") end,
}
