# Reference values for perfkit.methods.dea on a seeded random set of 30 units
# (3 inputs, 2 outputs; Cobb-Douglas frontier with half-normal inefficiency; generated here).
# Run from this folder: Rscript make.R   (writes inputs.csv and the expected_*.csv files)
# ---- DEA envelopment LPs with lpSolve, one unit at a time (written independently of perfkit) ----
library(lpSolve)

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

dea_unit <- function(X, Y, o, rts, orientation, super) {
  n <- nrow(X); p <- ncol(X); q <- ncol(Y)
  ref <- if (super) setdiff(seq_len(n), o) else seq_len(n)
  k <- length(ref)
  xo <- X[o, ]; yo <- Y[o, ]
  # stage 1: variables (score, lambda_ref)
  if (orientation == "input") {
    A <- rbind(cbind(-xo, t(X[ref, , drop = FALSE])),      # sum l x - theta x_o <= 0
               cbind(0, t(Y[ref, , drop = FALSE])))        # sum l y >= y_o
    dir <- c(rep("<=", p), rep(">=", q)); rhs <- c(rep(0, p), yo)
    sense <- "min"
  } else {
    A <- rbind(cbind(0, t(X[ref, , drop = FALSE])),         # sum l x <= x_o
               cbind(-yo, t(Y[ref, , drop = FALSE])))       # sum l y - phi y_o >= 0
    dir <- c(rep("<=", p), rep(">=", q)); rhs <- c(xo, rep(0, q))
    sense <- "max"
  }
  if (rts == "vrs") { A <- rbind(A, c(0, rep(1, k))); dir <- c(dir, "="); rhs <- c(rhs, 1) }
  obj <- c(1, rep(0, k))
  r1 <- lp(sense, obj, A, dir, rhs)
  na <- list(score = NA_real_, lambda = rep(NA_real_, n), slack = rep(NA_real_, p + q),
             status = r1$status)
  if (r1$status != 0) return(na)
  s <- r1$solution[1]
  if (orientation == "output" && s <= 1e-12) return(na)   # phi = 0: no reference possible
  # stage 2: score fixed; variables (lambda_ref, s-, s+); maximise the slack sum
  if (orientation == "input") { rx <- s * xo; ry <- yo } else { rx <- xo; ry <- s * yo }
  A2 <- rbind(cbind(t(X[ref, , drop = FALSE]), diag(p), matrix(0, p, q)),
              cbind(t(Y[ref, , drop = FALSE]), matrix(0, q, p), -diag(q)))
  dir2 <- rep("=", p + q); rhs2 <- c(rx, ry)
  if (rts == "vrs") { A2 <- rbind(A2, c(rep(1, k), rep(0, p + q))); dir2 <- c(dir2, "="); rhs2 <- c(rhs2, 1) }
  r2 <- lp("max", c(rep(0, k), rep(1, p + q)), A2, dir2, rhs2)
  if (r2$status != 0) stop(sprintf("slack stage failed for unit %d (status %d)", o, r2$status))
  lam <- rep(0, n); lam[ref] <- r2$solution[1:k]
  list(score = s, lambda = lam, slack = r2$solution[k + 1:(p + q)], status = 0)
}

dea_all <- function(X, Y, rts, orientation, super, labels, prefix) {
  n <- nrow(X); p <- ncol(X); q <- ncol(Y)
  res <- lapply(seq_len(n), function(o) dea_unit(X, Y, o, rts, orientation, super))
  score <- sapply(res, `[[`, "score")
  slack <- t(sapply(res, `[[`, "slack"))
  lam <- t(sapply(res, `[[`, "lambda"))
  radial <- if (orientation == "input") cbind(score * X, Y) else cbind(X, score * Y)
  target <- radial + cbind(-slack[, 1:p, drop = FALSE], slack[, p + 1:q, drop = FALSE])
  cn <- c(colnames(X), colnames(Y))
  out <- data.frame(unit = labels, efficiency = fmt(score))
  for (j in seq_along(cn)) out[[paste0("slack_", cn[j])]] <- fmt(slack[, j])
  for (j in seq_along(cn)) out[[paste0("target_", cn[j])]] <- fmt(target[, j])
  write.csv(out, paste0(prefix, ".csv"), row.names = FALSE, quote = FALSE)
  lw <- which(!is.na(lam) & lam > 1e-9, arr.ind = TRUE)
  ll <- data.frame(unit = labels[lw[, 1]], peer = labels[lw[, 2]], lambda = fmt(lam[lw]))
  ll <- ll[order(match(ll$unit, labels), match(ll$peer, labels)), ]
  write.csv(ll, paste0(prefix, "_lambdas.csv"), row.names = FALSE, quote = FALSE)
}

run_models <- function(X, Y, labels) {
  for (rts in c("crs", "vrs")) for (ori in c("input", "output")) for (sup in c(FALSE, TRUE))
    dea_all(X, Y, rts, ori, sup, labels,
            sprintf("expected_%s_%s%s", rts, ori, if (sup) "_super" else ""))
}

write_meta <- function(case, source, extra = "") {
  meta <- sprintf('{
  "method": "perfkit.methods.dea",
  "case": "%s",
  "tool": "R lpSolve::lp, one envelopment LP per unit (stage 1: score; stage 2: max slack sum with the score fixed), see make.R",
  "R": "%s",
  "lpSolve": "%s",
  "data_source": "%s",
  "files": "expected_<rts>_<orientation>[_super].csv: efficiency, slack_<col>, target_<col>; *_lambdas.csv: unit, peer, lambda (> 1e-9)",
  "tolerance": 1e-6,
  "tolerance_reason": "LP solver tolerance: lpSolve and perfkit both return simplex vertex solutions in double precision; scores agree far better (see test), 1e-6 absolute (relative to the column maximum for slacks/targets) leaves room for lpSolve epsilon settings"%s
}
', case, R.version.string, as.character(packageVersion("lpSolve")), source, extra)
  writeLines(meta, "meta.json")
}

# ---- the case ----
set.seed(20240601)
n <- 30
X <- matrix(round(runif(n * 3, 10, 100), 1), n, 3, dimnames = list(NULL, c("x1", "x2", "x3")))
front <- (X[, 1] * X[, 2] * X[, 3])^0.3
ineff <- exp(-abs(rnorm(n, 0, 0.3)))
Y <- round(cbind(y1 = front * runif(n, 0.5, 1.5), y2 = front * runif(n, 0.5, 1.5)) * ineff, 2)
labels <- sprintf("U%02d", seq_len(n))
write.csv(data.frame(unit = labels, X, Y), "inputs.csv", row.names = FALSE, quote = FALSE)
run_models(X, Y, labels)
write_meta("random30", "generated by make.R with set.seed(20240601)")
