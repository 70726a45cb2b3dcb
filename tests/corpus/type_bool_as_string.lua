-- expect: exit 2
-- message: devices[1].rai: expected true or false, got string
return {
  devices = { { count = 10, rai = "yes" } },
}
