-- expect: exit 2
-- message: cell
return {
  cell = io,
  devices = { { count = 10 } },
}
