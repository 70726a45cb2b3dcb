-- expect: exit 2
-- message: devices[1].cuont
-- message: swept devices[1].cuont=10
return {
  devices = { { count = 1 } },
  sweep = { ["devices[1].cuont"] = { 10, 20 } },
}
