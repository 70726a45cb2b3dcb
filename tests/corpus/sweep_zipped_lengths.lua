-- expect: exit 2
-- message: zipped paths must have as many values each
return {
  devices = { { count = 10, traffic = { kind = "periodic", period_s = 600 } } },
  sweep = {
    { ["devices[1].count"] = { 10, 100, 1000 },
      ["devices[1].traffic.period_s"] = { 86400, 3600 } },
  },
}
