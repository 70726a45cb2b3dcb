-- expect: exit 2
-- message: cell.ce_levels
return { cell = { ce_levels = {} }, devices = { { count = 1 } } }
