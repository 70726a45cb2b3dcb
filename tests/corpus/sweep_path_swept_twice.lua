-- expect: exit 2
-- message: "devices[1].count" is swept twice
return {
  devices = { { count = 1, traffic = { kind = "periodic", period_s = 60 } } },
  sweep = {
    ["devices[1].count"] = { 1, 2 },
    { ["devices[1].count"] = { 3, 4 }, ["devices[1].traffic.period_s"] = { 60, 120 } },
  },
}
