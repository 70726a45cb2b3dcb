-- expect: exit 2
-- message: attempt to index a nil value (local 'profile')
local profile
return {
  devices = { { count = 10, module = { tx_mw = profile.tx_mw } } },
}
