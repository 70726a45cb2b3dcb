-- expect: exit 2
-- message: devices[1].traffic.payload: expected a table, got integer
return {
  devices = { { count = 1, traffic = { kind = "periodic", period_s = 600, payload = 100 } } },
}
