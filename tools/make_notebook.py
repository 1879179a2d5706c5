"""Write a clean report notebook from a list of cells (no outputs, no execution counts).

Usage: python tools/make_notebook.py  (rewrites the notebooks listed in NOTEBOOKS)
Notebooks are committed clean; this script is the readable source of the templates.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


def build(cells: list[tuple[str, str]], *, title: str) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "language_info": {"name": "python"}, "title": title}
    for kind, src in cells:
        if kind == "md":
            nb.cells.append(new_markdown_cell(src.strip()))
        else:
            c = new_code_cell(src.strip())
            if kind == "parameters":
                c.metadata["tags"] = ["parameters"]
            nb.cells.append(c)
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"
    return nb


def write(name: str, cells, *, title: str) -> Path:
    path = ROOT / "notebooks" / f"{name}.ipynb"
    nbformat.write(build(cells, title=title), path)
    return path


NOTEBOOKS = {}


def notebook(name: str, title: str):
    def deco(fn):
        NOTEBOOKS[name] = (fn, title)
        return fn
    return deco


@notebook("project_self_evaluation", "项目支出绩效自评报告 Project self-evaluation")
def _self_eval():
    return [
        ("md", "# 项目支出绩效自评报告 <small>Project self-evaluation report</small>"),
        ("parameters", '''
workbook = None          # the workbook (.xlsx or a folder of CSV); None: the demo district
project_id = "XM00002"   # 项目编码 (text: "00123" stays "00123")
year = None              # 年度; None: the latest year in the workbook
profile = "national"     # rule profile id or path to a profile YAML
lang = "zh"              # zh | en
output_dir = None        # set by `perfkit run`; interactive runs write to outputs/interactive/
'''),
        ("code", '''
from perfkit.io import read_workbook
from perfkit.report.docx import self_evaluation_outline
from perfkit.report.notebook import show_self_evaluation
from perfkit.run import publish
from perfkit.run.demo import demo_workbook_path
from perfkit.scoring import score_self_evaluation
'''),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = score_self_evaluation(wb, profile, year=year, project_ids=[project_id]).project(project_id)
publish(result, output_dir, lang=lang, docx=self_evaluation_outline(result.to_dict(), lang=lang));
'''),
        ("code", '''
show_self_evaluation(result.to_dict(), lang=lang)
'''),
    ]


# ============================================================================================
# the management cycle (perfkit.cycle; parameter models in perfkit/run/params_cycle.py)
# ============================================================================================
_CYCLE_IMPORTS = '''
from perfkit.io import read_workbook
from perfkit.report import cycle_view as cv
from perfkit.run import publish
from perfkit.run.demo import demo_workbook_path
'''


@notebook("exante", "事前绩效评估报告 Ex-ante performance assessment")
def _exante():
    return [
        ("md", "# 事前绩效评估报告\n\nEx-ante performance assessment (事前绩效评估, 黔江实施意见 §七) of "
               "a proposed project or policy: the experts' rating sheet on the five dimensions, a "
               "cost-benefit appraisal as evidence, the conclusion 予以支持 / 调整后予以支持 / 不予支持, "
               "in the report outline of domain.md §9.3. Without a rating sheet it runs on the "
               "example (two proposed projects, three experts)."),
        ("parameters", '''
ratings = None          # 评分表 (.xlsx/.csv); None: the example sheet
subject_id = "XM90001"  # 评估对象编码 (the example has XM90001 and XM90002)
variant = "project"     # project | policy (政策 dimensions)
method = None           # mean | trimmed | median; None: the profile's expert aggregation
cba = True              # 成本收益分析 when cash flows are known
cashflows = None        # 年度/效益/成本 sheet; None: the example's (example subjects only)
discount = None         # constant discount rate; None: the Green Book schedule
profile = "national"    # rule profile id or path to a profile YAML
lang = "zh"             # zh | en
output_dir = None       # set by `perfkit run`; interactive runs write to outputs/interactive/
'''),
        ("code", '''
from perfkit.cycle import assess_exante
from perfkit.datasets import cycle_examples as ex
from perfkit.methods.cba import appraise
from perfkit.report import cycle_view as cv
from perfkit.run import publish
'''),
        ("code", '''
sheet = ex.rating_sheet(ratings)
flows = ex.cashflows_for(subject_id, cashflows) if cba else None
appraisal = None if flows is None else appraise(
    flows["benefits"], flows["costs"], rate="greenbook" if discount is None else discount)
info = ex.exante_info(ratings)
result = assess_exante(sheet, profile, variant=variant, method=method, info=info,
                       cba=None if appraisal is None else {subject_id: appraisal})
results = cv.exante_results(result, subject_id, cba=appraisal, info=info.get(subject_id))
outline = cv.exante_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.exante_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("target_review", "绩效目标审核 Target review")
def _target_review():
    return [
        ("md", "# 绩效目标审核\n\nTarget review (绩效目标审核, 黔江实施意见 §八) of one department's "
               "projects: completeness, quantification, measurability, match with the budget and "
               "last year's actuals; every finding names the indicator and the rule."),
        ("parameters", '''
workbook = None          # the workbook (.xlsx or a folder of CSV); None: the demo district
department_id = "001"    # 部门编码 (or the department's name)
year = None              # 年度; None: the latest year in the workbook
history = True           # compare targets with last year's actual values
profile = "national"     # rule profile id or path to a profile YAML
lang = "zh"              # zh | en
output_dir = None        # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import review_targets\n" + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
ids, name = cv.department_projects(wb, department_id, year=year)
result = review_targets(wb, year=year, project_ids=ids, profile=profile, history=history)
results = cv.target_review_results(result, department_id, name=name)
outline = cv.target_review_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.target_review_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("monitoring", "绩效运行监控（双监控）报告 Dual monitoring")
def _monitoring():
    return [
        ("md", "# 预算绩效运行监控报告\n\nDual monitoring (双监控, 黔江实施意见 §九; domain.md §6, §9.4) "
               "of the district at the end of a month: execution against time progress with "
               "traffic lights, checkpoints (profile `sichuan2025`), target attainment, a year-end "
               "forecast against the naive run-rate, and the handling of deviations. Target "
               "attainment uses the indicators' latest in-year snapshot up to the month (sheet "
               "指标监控 / indicator_progress: 1–N月执行情况, 全年预计完成情况, 完成目标可能性, 偏差原因, "
               "完善措施); a workbook without it falls back on the indicators' actual values, and "
               "the report says which was used. With `department_id`, one department's report "
               "(units monitor their projects, the department sums them up; domain.md §6): its "
               "projects only, the forecast model still fitted on every project of the district "
               "(batch: `perfkit batch WORKBOOK --notebook monitoring`)."),
        ("parameters", '''
workbook = None                 # the workbook; None: the demo district
subject_id = "monitoring-2024-06" # report id (its folder name); with department_id: that id
department_id = None            # 部门编码 (or name): one department's report; None: the district
year = None                     # 年度; None: the latest year in the workbook
month = 6                       # end of which month (1–12)
forecast = None                 # auto | pooled | drift | run_rate; None: the profile's
profile = "national"            # national | sichuan2025 (checkpoints) | path to a YAML
lang = "zh"                     # zh | en
output_dir = None               # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import monitor\n" + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = monitor(wb, profile, year=year, month=month, department=department_id,
                 forecast=forecast)
results = cv.monitoring_results(result, subject_id, profile=profile)
outline = cv.monitoring_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.monitoring_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("key_evaluation", "重点绩效评价报告 Key evaluation")
def _key_evaluation():
    return [
        ("md", "# 重点绩效评价报告\n\nKey evaluation (重点评价, 黔江实施意见 §十) of a project by an "
               "expert panel on the 财预〔2020〕10号 framework: aggregated scores, grade, "
               "inter-rater agreement (ICC, Kendall's W), the most disputed indicators and the "
               "third-party conflict check, in the report outline of domain.md §9.2. Without a "
               "score sheet it runs on the example (two projects, five experts)."),
        ("parameters", '''
workbook = None              # the workbook (for the project's basic information); None: demo
scores = None                # 专家评分表 (.xlsx/.csv); None: the example sheet
subject_id = "XM00002"       # 被评价项目编码 (the example has XM00002 and XM00004)
year = None                  # 年度 of the basic information; None: the latest
stage = "post"               # post (事后) | mid (中期)
method = "mean"              # mean | trimmed | median: how experts' scores are combined
commissioner = "区财政局"      # 委托方
evaluator = "示范会计师事务所"   # 第三方评价机构
evaluator_prior_roles = []   # bodies the evaluator served before (conflict check)
profile = "national"         # rule profile id or path to a profile YAML
lang = "zh"                  # zh | en
output_dir = None            # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import conflict_check, key_evaluation\n"
                 "from perfkit.datasets import cycle_examples as ex\n" + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = key_evaluation(ex.score_sheet(scores), profile, stage=stage, method=method)
info = cv.project_info(wb, subject_id, year=year)
evaluated = info.get("department") or subject_id
conflicts = conflict_check(commissioner, evaluator, evaluated,
                           evaluator_prior_roles=evaluator_prior_roles)
results = cv.key_evaluation_results(result, subject_id, info=info, commissioner=commissioner,
                                    evaluator=evaluator, object=evaluated, conflicts=conflicts,
                                    profile=profile)
outline = cv.key_evaluation_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.key_evaluation_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("reevaluation", "单位自评结果再评价 Re-evaluation")
def _reevaluation():
    return [
        ("md", "# 单位自评结果再评价报告\n\nRe-evaluation (再评价, 黔江实施意见 §十; domain.md §4.6) of "
               "a seeded sample of the units' self-evaluations by the same rules: the deviation "
               "of each sampled project and the self-evaluation quality of each unit."),
        ("parameters", '''
workbook = None              # the workbook; None: the demo district
subject_id = "reevaluation-2024" # report id (its folder name)
year = None                  # 年度; None: the latest year in the workbook
sample = 0.3                 # a count (30), a fraction (0.3) or None for every project
seed = 1                     # seed of the draw (recorded in results.json)
profile = "national"         # rule profile id or path to a profile YAML
lang = "zh"                  # zh | en
output_dir = None            # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import reevaluate\n" + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = reevaluate(wb, profile, year=year, sample=sample, seed=seed)
results = cv.reevaluation_results(result, subject_id)
outline = cv.reevaluation_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.reevaluation_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("department_evaluation", "部门整体支出绩效评价报告 Department-overall evaluation")
def _department_evaluation():
    return [
        ("md", "# 部门整体支出绩效评价报告\n\nDepartment-overall evaluation (部门整体支出绩效评价, "
               "黔江实施意见 §五、§十、§十六) of one department, in the §9.2 skeleton (domain.md §9.5). "
               "Batch it over every department with `perfkit batch WORKBOOK --notebook "
               "department_evaluation`."),
        ("parameters", '''
workbook = None          # the workbook; None: the demo district
department_id = "001"    # 部门编码
year = None              # 年度; None: the latest year of the departments table
profile = "national"     # rule profile id or path to a profile YAML
lang = "zh"              # zh | en
output_dir = None        # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import evaluate_department\n" + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = evaluate_department(wb, profile, year=year,
                             department_ids=[department_id]).department(department_id)
results = cv.department_results(result)
outline = cv.department_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.department_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("township_evaluation", "乡镇街道财政运行综合绩效评价 Township evaluation")
def _township_evaluation():
    return [
        ("md", "# 乡镇街道财政运行综合绩效评价报告\n\nTownship fiscal-operation evaluation "
               "(乡镇街道财政运行综合绩效评价, 黔江实施意见 §十、§十六) — a **design proposal**: no official "
               "indicator set was found. With DEA benchmarking (标杆管理法) among the townships and "
               "the performance-linked allocation of a transfer-payment pool. "
               '`township_id = "all"` reports on every township.'),
        ("parameters", '''
workbook = None          # the workbook; None: the demo district
township_id = "all"      # 乡镇街道编码, or "all"
year = None              # 年度; None: the latest year of the townships table
pool = 2000.0            # transfer-payment pool to allocate (万元)
base_share = None        # share of the base part; None: the profile's
transfer_rule = None     # proportional_to_score | grade_coefficients; None: the profile's
rts = None               # DEA returns to scale: crs | vrs; None: the profile's
profile = "national"     # rule profile id or path to a profile YAML
lang = "zh"              # zh | en
output_dir = None        # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import allocate_transfers, evaluate_township\n"
                 + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = evaluate_township(wb, profile, year=year, rts=rts)
allocation = allocate_transfers(result, pool, profile=profile, base_share=base_share,
                                rule=transfer_rule)
results = cv.township_results(result, allocation, township_id)
outline = cv.township_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.township_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("results_application", "绩效评价结果应用 Result application")
def _results_application():
    return [
        ("md", "# 绩效评价结果应用报告\n\nResult application (结果应用, 黔江实施意见 §十六; domain.md §7): "
               "grades → budget actions, sedimented funds to recall, overlapping projects to merge, "
               "and next year's budget proposal. No source sets percentage cuts: amounts appear "
               "only when `cut_percent` is given. With `department_id`, one department's report: "
               "its projects, its sedimented funds, the overlaps that involve its projects and "
               "its rows of the proposal (batch: `perfkit batch WORKBOOK --notebook "
               "results_application`)."),
        ("parameters", '''
workbook = None              # the workbook; None: the demo district
subject_id = "application-2024" # report id (its folder name); with department_id: that id
department_id = None         # 部门编码 (or name): one department's report; None: the district
year = None                  # the evaluated year; None: the latest (proposal for year + 1)
cut_percent = None           # e.g. {"中": 10, "差": 100} (percent); None: directions only
overlap_threshold = None     # similarity threshold of overlaps; None: the profile's
profile = "national"         # rule profile id or path to a profile YAML
lang = "zh"                  # zh | en
output_dir = None            # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import budget_proposal, detect_overlap, idle_funds\n"
                 + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
idle = idle_funds(wb, profile, year=year, department=department_id)
overlap = detect_overlap(wb, profile, year=year, threshold=overlap_threshold,
                         department=department_id)
result = budget_proposal(wb, profile, year=year, cut_percent=cut_percent, idle=idle,
                         overlap=overlap, department=department_id)
results = cv.application_results(result, idle, overlap, subject_id, profile=profile)
outline = cv.application_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.application_tables(results, lang=lang), docx=outline);
'''),
    ]


@notebook("portfolio", "预算绩效管理情况报告 District portfolio")
def _portfolio():
    return [
        ("md", "# 预算绩效管理情况报告\n\nThe district portfolio for the People's Congress "
               "(黔江实施意见 §十、§十八): grades by department, budget type and sector, money by "
               "grade, the result application, the departments' performance-work assessment "
               "(考核, §十九 — a design proposal) and the third-party conflict check. `public = "
               "True` gives the public version (公开版) without the fields in `public_remove`."),
        ("parameters", '''
workbook = None                   # the workbook; None: the demo district
subject_id = "portfolio-2024"      # report id (its folder name)
year = None                       # 年度; None: the latest year in the workbook
public = False                    # True: the public version (公开版)
public_remove = ["implementing_unit", "flag_codes", "overlap_with"]  # removed when public
reevaluation_sample = None        # re-evaluation sample for the assessment; None: all projects
seed = 1                          # seed of that sample
commissioner = "区财政局"           # 委托方 of the third-party evaluation
evaluator = "示范会计师事务所"        # 第三方评价机构
evaluated_object = "区级各部门"      # 被评价对象
evaluator_prior_roles = []        # bodies the evaluator served before
profile = "national"              # rule profile id or path to a profile YAML
lang = "zh"                       # zh | en
output_dir = None                 # set by `perfkit run`
'''),
        ("code", "from perfkit.cycle import conflict_check, district_portfolio\n"
                 + _CYCLE_IMPORTS),
        ("code", '''
wb = read_workbook(workbook or demo_workbook_path())
result = district_portfolio(wb, profile, year=year, reevaluation_sample=reevaluation_sample,
                            seed=seed)
conflicts = conflict_check(commissioner, evaluator, evaluated_object,
                           evaluator_prior_roles=evaluator_prior_roles)
results = cv.portfolio_results(result, subject_id, public=public, remove=public_remove,
                               commissioner=commissioner, evaluator=evaluator,
                               object=evaluated_object, conflicts=conflicts)
outline = cv.portfolio_outline(results, lang=lang)
'''),
        ("code", '''
cv.show_outline(outline, lang=lang)
publish(result, output_dir, lang=lang, results=results,
        tables=cv.portfolio_tables(results, lang=lang), docx=outline);
'''),
    ]


#: the notebooks of the management cycle (`python tools/make_notebook.py exante monitoring …`)
CYCLE_NOTEBOOKS = ("exante", "target_review", "monitoring", "key_evaluation", "reevaluation",
                   "department_evaluation", "township_evaluation", "results_application",
                   "portfolio")


# ============================================================================================
# the evaluation methods (perfkit.methods; parameter models and studies in
# perfkit/studies/methods.py, presentation in perfkit/report/methods_view.py)
# ============================================================================================
@notebook("cost_benefit", "成本效益分析报告 Cost-benefit analysis")
def _cost_benefit():
    return [
        ("md", "# 成本效益分析报告\n\nCost-benefit analysis (成本效益分析法, 黔江实施意见 §十六; "
               "domain.md §8) of one project: NPV, BCR, IRR and paybacks under a discount "
               "schedule, the Green Book optimism-bias adjustment, switching values, a tornado "
               "chart, a seeded Monte Carlo simulation and a least-cost comparison of options "
               "(最低成本法). The case is a parameter (`case`, see `params/cost_benefit.yaml`); "
               "`case = None` is the demo case 农村饮水安全巩固提升工程."),
        ("parameters", '''
subject_id = "rural-water-cba"  # report id (its folder name)
case = None      # the CBA case, a dict as in params/cost_benefit.yaml; None: the demo case
lang = "zh"      # zh | en
output_dir = None  # set by `perfkit run`; interactive runs write to outputs/interactive/
'''),
        ("code", '''
from perfkit.report import methods_view as mv
from perfkit.run import publish
from perfkit.studies import cost_benefit_study
'''),
        ("code", '''
study = cost_benefit_study(case, subject_id=subject_id)
outline = mv.cost_benefit_outline(study.results, draws=study.draws, lang=lang)
publish(None, output_dir, lang=lang, results=study.results, tables=mv.outline_tables(outline),
        docx=outline);
'''),
        ("code", '''
mv.show_outline(outline, lang=lang)
'''),
    ]


@notebook("benchmarking", "标杆管理分析报告 Benchmarking")
def _benchmarking():
    return [
        ("md", "# 标杆管理分析报告\n\nBenchmarking (标杆管理法, 黔江实施意见 §十六; domain.md §8): "
               "data envelopment analysis (DEA) of the townships and of the departments with "
               "their peers and improvement targets, the Malmquist productivity index of the "
               "townships over the workbook's years, and each unit's gap to a benchmark. Inputs "
               "and outputs are parameters."),
        ("parameters", '''
workbook = None                     # the workbook; None: the demo district
subject_id = "district-benchmarking"  # report id (its folder name)
year = None                         # 年度; None: the latest year in the workbook
profile = "national"                # rule profile of the project scores behind department outputs
township_inputs = ["expenditure"]   # columns of the townships table (乡镇街道)
township_outputs = ["population", "livelihood_expenditure"]
township_rts = "crs"                # crs (CCR) | vrs (BCC)
# department columns (部门) or derived figures: n_projects, n_good, n_excellent, mean_score,
# project_budget, project_executed
department_inputs = ["expenditure"]
department_outputs = ["n_good", "mean_score"]
department_rts = "vrs"              # crs | vrs
orientation = "input"               # input | output
benchmark = "p90"                   # gap benchmark: "best", "p90" (any "pNN") or a number
lang = "zh"                         # zh | en
output_dir = None                   # set by `perfkit run`
'''),
        ("code", '''
from perfkit.report import methods_view as mv
from perfkit.run import publish
from perfkit.run.demo import demo_workbook_path
from perfkit.studies import benchmarking_study
'''),
        ("code", '''
study = benchmarking_study(
    workbook or demo_workbook_path(), subject_id=subject_id, year=year, profile=profile,
    township_inputs=township_inputs, township_outputs=township_outputs, township_rts=township_rts,
    department_inputs=department_inputs, department_outputs=department_outputs,
    department_rts=department_rts, orientation=orientation, benchmark=benchmark)
outline = mv.benchmarking_outline(study.results, lang=lang)
publish(None, output_dir, lang=lang, results=study.results, tables=mv.outline_tables(outline),
        docx=outline);
'''),
        ("code", '''
mv.show_outline(outline, lang=lang)
'''),
    ]


@notebook("factor_analysis", "因素分析报告 Factor analysis")
def _factor_analysis():
    return [
        ("md", "# 因素分析报告\n\nFactor analysis (因素分析法, 黔江实施意见 §十六; domain.md §8) in "
               "both its meanings: a psych-style factor analysis of the townships' fiscal "
               "indicators (KMO, Bartlett, loadings) to reduce the indicator set, and the "
               "decomposition of the change in executed project spending into number of "
               "projects × average budget × execution rate (LMDI by sector, 连环替代法)."),
        ("parameters", '''
workbook = None                   # the workbook; None: the demo district
subject_id = "district-factors"   # report id (its folder name)
variables = ["general_revenue/population", "tax_revenue/population", "expenditure/population",
             "livelihood_expenditure/population", "available_revenue/population",
             "transfer_received/population", "debt_balance/population",
             "debt_service/population", "treasury_balance/population",
             "carryover_balance/population"]  # township columns or "a/b" ratios
fa_years = None                   # years pooled for the factor analysis; None: every year
n_factors = None                  # None: Kaiser's rule (eigenvalues > 1)
method = "minres"                 # minres | ml | pa | pc
rotation = "varimax"              # varimax | promax | oblimin | none
year = None                       # decomposition: current year; None: the latest
base_year = None                  # decomposition: base year; None: year - 1
department_id = None              # decomposition of one department; None: the district
by = "sector"                     # LMDI groups: sector | department
lang = "zh"                       # zh | en
output_dir = None                 # set by `perfkit run`
'''),
        ("code", '''
from perfkit.report import methods_view as mv
from perfkit.run import publish
from perfkit.run.demo import demo_workbook_path
from perfkit.studies import factor_study
'''),
        ("code", '''
study = factor_study(workbook or demo_workbook_path(), subject_id=subject_id,
                     variables=variables, fa_years=fa_years, n_factors=n_factors,
                     method=method, rotation=rotation, year=year, base_year=base_year,
                     department_id=department_id, by=by)
outline = mv.factor_outline(study.results, lang=lang)
publish(None, output_dir, lang=lang, results=study.results, tables=mv.outline_tables(outline),
        docx=outline);
'''),
        ("code", '''
mv.show_outline(outline, lang=lang)
'''),
    ]


#: the notebooks of the evaluation methods
METHOD_NOTEBOOKS = ("cost_benefit", "benchmarking", "factor_analysis")


if __name__ == "__main__":
    names = sys.argv[1:] or list(NOTEBOOKS)
    for n in names:
        fn, title = NOTEBOOKS[n]
        print(write(n, fn(), title=title))
