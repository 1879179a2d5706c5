# Independent reference: Shapley effect = mean of the chain-substitution effect over all n! orders
# (explicit permutations; perfkit uses the 2^(n-1) subset formula instead).
perms <- function(v) {
  if (length(v) <= 1) return(list(v))
  out <- list()
  for (i in seq_along(v)) for (p in perms(v[-i])) out[[length(out) + 1]] <- c(v[i], p)
  out
}
effects_along <- function(plan, actual, ord) {
  cur <- plan; eff <- setNames(numeric(length(ord)), ord)
  for (k in ord) { before <- prod(cur); cur[k] <- actual[k]; eff[k] <- prod(cur) - before }
  eff[names(plan)]
}
shapley_reference <- function(plan, actual) {
  all <- sapply(perms(names(plan)), function(o) effects_along(plan, actual, o))
  list(effects = as.list(rowMeans(all)), plan_value = prod(plan), actual_value = prod(actual),
       total_change = prod(actual) - prod(plan), n_orders = ncol(all))
}
write_meta <- function(case, note) {
  write(toJSON(list(method = "shapley_decomposition", case = case,
    tool = "base R, average over explicit permutations (shapley_common.R)",
    R = R.version.string, note = note, tolerance = list(rel = 1e-12),
    why = "exact arithmetic; only rounding differs"), auto_unbox = TRUE, pretty = TRUE), "meta.json")
}
