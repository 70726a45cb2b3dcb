-- expect: exit 2
-- message: attempt to concatenate a nil value (global 'site')
return {
  name = "cell-" .. site,
  devices = { { count = 10 } },
}
