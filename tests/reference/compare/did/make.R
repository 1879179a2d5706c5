# Reference for perfkit.methods.compare.did — OLS by R stats::lm and the cluster-robust CR1
# sandwich written out by hand:
#   V = G/(G-1) * (N-1)/(N-K) * (X'X)^-1 [sum_g X_g' u_g u_g' X_g] (X'X)^-1,  t on G-1 df
# (Stata vce(cluster)); and HC1 without clusters: N/(N-K) (X'X)^-1 X' diag(u^2) X (X'X)^-1,
# t on N-K df. If the sandwich package is installed the hand formulas are cross-checked against
# sandwich::vcovCL(type = "HC1") / vcovHC(type = "HC1") and the script stops on disagreement.
# Run from this directory: Rscript make.R
set.seed(2024)
G <- 30; T <- 4
unit <- rep(sprintf("U%02d", 1:G), each = T)
period <- rep(2019:2022, times = G)
treated <- as.integer(rep(1:G <= 12, each = T))
post <- as.integer(period >= 2021)
ue <- rep(rnorm(G, 0, 1.5), each = T)                      # unit effects -> within-cluster correlation
x <- round(runif(G * T, 0, 10), 3)
y <- round(5 + 1.5 * treated + 0.8 * post + 2.0 * treated * post + 0.5 * x + ue +
           rnorm(G * T, 0, 1 + 0.5 * treated), 3)           # heteroskedastic noise
x[7] <- NA                                                   # one missing covariate value
d <- data.frame(unit, period, treated, post, x, y)
write.csv(d, "panel.csv", row.names = FALSE, na = "")

cr1 <- function(fit, cl) {
  X <- model.matrix(fit); u <- resid(fit); n <- nrow(X); k <- ncol(X)
  cl <- cl[as.integer(rownames(X))]
  Gn <- length(unique(cl))
  bread <- solve(crossprod(X))
  meat <- crossprod(rowsum(X * u, cl))
  list(V = Gn / (Gn - 1) * (n - 1) / (n - k) * bread %*% meat %*% bread, df = Gn - 1)
}
hc1 <- function(fit) {
  X <- model.matrix(fit); u <- resid(fit); n <- nrow(X); k <- ncol(X)
  bread <- solve(crossprod(X))
  list(V = n / (n - k) * bread %*% crossprod(X * u) %*% bread, df = n - k)
}
rename <- c("(Intercept)" = "const", treated = "treated", post = "post",
            "treated:post" = "treated:post", x = "x")
rows <- "scenario,term,estimate,se,statistic,p_value,ci_low,ci_high,df,n"
emit <- function(name, fit, vc) {
  b <- coef(fit); se <- sqrt(diag(vc$V)); t <- b / se
  p <- 2 * pt(-abs(t), vc$df); q <- qt(0.975, vc$df)
  for (j in seq_along(b))
    rows <<- c(rows, paste(name, rename[[names(b)[j]]],
                           paste(sprintf("%.17g", c(b[j], se[j], t[j], p[j], b[j] - q * se[j],
                                                    b[j] + q * se[j], vc$df, nobs(fit))),
                                 collapse = ","), sep = ","))
}
f1 <- lm(y ~ treated * post + x, data = d)       # drops the row with missing x
f2 <- lm(y ~ treated * post, data = d)
v1 <- cr1(f1, d$unit); v2 <- cr1(f2, d$unit); v3 <- hc1(f2)
if (requireNamespace("sandwich", quietly = TRUE)) {
  stopifnot(isTRUE(all.equal(unname(v1$V), unname(sandwich::vcovCL(f1, cluster = ~unit, type = "HC1")), tolerance = 1e-12)))
  stopifnot(isTRUE(all.equal(unname(v2$V), unname(sandwich::vcovCL(f2, cluster = ~unit, type = "HC1")), tolerance = 1e-12)))
  stopifnot(isTRUE(all.equal(unname(v3$V), unname(sandwich::vcovHC(f2, type = "HC1")), tolerance = 1e-12)))
  cat("hand-written CR1/HC1 agree with sandwich", as.character(packageVersion("sandwich")), "\n")
}
emit("cluster_covariate", f1, v1)
emit("cluster", f2, v2)
emit("hc1", f2, v3)
writeLines(rows, "expected.csv")
m <- tapply(d$y, list(d$treated, d$post), mean)
writeLines(c("name,value", sprintf("double_difference,%.17g", (m["1", "1"] - m["1", "0"]) - (m["0", "1"] - m["0", "0"]))),
           "double_difference.csv")
