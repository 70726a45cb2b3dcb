return {
  count = = 1,
}
