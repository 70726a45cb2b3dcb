-- expect: exit 2
-- message: devices[1]
-- `count == 10` is a comparison, so the group gets a list item (false)
-- instead of a count: the loader must say which table holds it.
return {
  devices = {
    { count == 10 },
  },
}
