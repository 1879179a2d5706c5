# Reference for perfkit.methods.weights.entropy_weights (熵权法), written out in base R:
#   z = (x - min)/(max - min) for "higher", (max - x)/(max - min) for "lower"
#   p = (z + shift) / colSums(z + shift);  e = -sum(p log p)/log(m) with 0 log 0 = 0
#   d = 1 - e;  w = d / sum(d);  a constant indicator gets e = 1 and weight 0.
# Two variants: shift = 0 and shift = 0.0001. Run from this directory: Rscript make.R
set.seed(31)
m <- 9
X <- data.frame(
  budget_exec = round(runif(m, 0.7, 1.0), 3),      # 预算执行率, higher
  unit_cost   = round(runif(m, 80, 160), 1),       # 单位成本, lower
  coverage    = round(runif(m, 0.5, 0.95), 3),     # 覆盖率, higher
  complaints  = sample(0:12, m, replace = TRUE),   # 投诉数, lower (integers: ties and a zero)
  satisfied   = round(runif(m, 0.75, 0.98), 3),    # 满意度, higher
  policy_doc  = rep(1, m))                         # constant: no information
rownames(X) <- sprintf("D%02d", 1:m)
dirs <- c(budget_exec = "higher", unit_cost = "lower", coverage = "higher",
          complaints = "lower", satisfied = "higher", policy_doc = "higher")
write.csv(cbind(unit = rownames(X), X), "data.csv", row.names = FALSE)
writeLines(c("indicator,direction", paste(names(dirs), dirs, sep = ",")), "directions.csv")
ew <- function(X, dirs, shift) {
  res <- sapply(names(X), function(j) {
    x <- X[[j]]; r <- max(x) - min(x)
    if (r == 0) return(c(e = 1))
    z <- if (dirs[[j]] == "lower") (max(x) - x) / r else (x - min(x)) / r
    p <- (z + shift) / sum(z + shift)
    c(e = -sum(ifelse(p > 0, p * log(p), 0)) / log(nrow(X)))
  })
  d <- 1 - res
  data.frame(indicator = names(X), entropy = res, divergence = d, weight = d / sum(d))
}
rows <- "shift,indicator,entropy,divergence,weight"
for (s in c(0, 1e-4)) {
  r <- ew(X, dirs, s)
  rows <- c(rows, paste(s, r$indicator, sprintf("%.17g", r$entropy), sprintf("%.17g", r$divergence),
                        sprintf("%.17g", r$weight), sep = ","))
}
writeLines(rows, "expected.csv")
