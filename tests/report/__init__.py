"""Tests of perfkit.report. ``sample_results()``: a realistic results.json of a self-evaluation."""
from __future__ import annotations

import copy


def _ind(level1, level2, level3, *, weight, score, target, target_text, actual, actual_text,
         direction="≥", unit="", kind="定量", awarded=None, na=False, rating=None,
         explanation="", reason="", flags=()):
    awarded = score if awarded is None and score is not None else awarded
    diff = None if (awarded is None or score is None) else round(awarded - score, 10)
    return {"level1": level1, "level2": level2, "level3": level3, "kind": kind,
            "direction": direction, "unit": unit, "target": target, "target_text": target_text,
            "actual": actual, "actual_text": actual_text, "weight": weight, "score": score,
            "awarded": awarded, "awarded_diff": diff, "not_applicable": na, "rating": rating,
            "explanation": explanation, "deviation_reason": reason, "flags": list(flags)}


_RESULTS = {
    "subject_id": "XM00123", "subject_type": "project", "year": 2024,
    "name": "学生营养改善计划", "department": "区教委", "department_id": "D01",
    "implementing_unit": "区学生资助中心", "budget_type": "一般公共预算", "sector": "教育",
    "objective": "为全区义务教育阶段农村学生提供营养膳食补助，每生每天5元，全年覆盖200个在校日，"
                 "改善学生营养健康状况。",
    "achievement": "全年为980名学生提供营养膳食补助，供餐198天，食品安全事故为零，学生体质达标率提升。",
    "profile": {"id": "national", "version": "2026.1",
                "hash": "sha256:3f0c7a1e9b2d4c6a8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d"},
    "budget": {"weight": 10.0, "initial": 500.0, "adjusted": 520.0, "executed": 468.0,
               "rate": 0.9, "score": 9.0, "explanation": "执行率 90.0%，得分 = 10 × 90.0% = 9.00",
               "sources": [
                   {"source": "当年财政拨款", "initial": 480.0, "adjusted": 500.0, "executed": 450.0},
                   {"source": "上年结转资金", "initial": 20.0, "adjusted": 20.0, "executed": 18.0},
                   {"source": "其他资金", "initial": 0.0, "adjusted": 0.0, "executed": 0.0}]},
    "indicators": [
        _ind("产出指标", "数量指标", "受益学生人数", weight=10.0, score=9.8, target=1000.0,
             target_text="≥1000人", actual=980.0, actual_text="980", unit="人", awarded=10.0,
             explanation="实际值 980 低于目标值 1000，按完成比例 98.0% 得分 9.80",
             reason="部分学生转学，受益人数略低于计划。", flags=["awarded_differs"]),
        _ind("产出指标", "数量指标", "供餐天数", weight=10.0, score=9.3, target=200.0,
             target_text="≥200天", actual=186.0, actual_text="186", unit="天",
             explanation="实际值 186 低于目标值 200，按完成比例 93.0% 得分 9.30",
             reason="受极端天气停课影响。"),
        _ind("产出指标", "质量指标", "食品安全事故发生次数", weight=10.0, score=10.0, target=0.0,
             target_text="=0次", actual=0.0, actual_text="0", direction="=", unit="次",
             explanation="实际值 0 等于目标值 0，得满分 10.00"),
        _ind("产出指标", "时效指标", "补助资金按时拨付率", weight=10.0, score=9.5, target=1.0,
             target_text="=100%", actual=0.95, actual_text="95%", direction="=", unit="%",
             explanation="实际值 95% 低于目标值 100%，按完成比例 95.0% 得分 9.50"),
        _ind("产出指标", "成本指标", "每生每天补助标准", weight=10.0, score=None, target=5.0,
             target_text="≤5元", actual=None, actual_text="", direction="≤", unit="元", na=True,
             explanation="不适用：本年度未调整补助标准，按适用分值折算", flags=["not_applicable"]),
        _ind("效益指标", "社会效益指标", "学生体质健康达标率", weight=15.0, score=14.25,
             target=0.9, target_text="≥90%", actual=0.855, actual_text="85.5%", unit="%",
             explanation="实际值 85.5% 低于目标值 90%，按完成比例 95.0% 得分 14.25",
             reason="=HYPERLINK(\"http://evil.example\",\"点击\")"),
        _ind("效益指标", "可持续影响指标", "营养改善长效机制建立情况", weight=15.0, score=12.0,
             target=None, target_text="长效机制基本建立", actual=None, actual_text="基本建立",
             direction="定性", kind="定性", rating="达成", awarded=13.5,
             explanation="定性评级“达成”，区间 [12.00, 15.00]，取 12.00",
             flags=["awarded_differs"]),
        _ind("满意度指标", "服务对象满意度指标", "学生及家长满意度", weight=10.0, score=9.44,
             target=0.9, target_text="≥90%", actual=0.85, actual_text="85%", unit="%",
             explanation="实际值 85% 低于目标值 90%，按完成比例 94.4% 得分 9.44"),
    ],
    "level1": [{"level1": "产出指标", "weight": 50.0, "score": 38.6},
               {"level1": "效益指标", "weight": 30.0, "score": 26.25},
               {"level1": "满意度指标", "weight": 10.0, "score": 9.44}],
    "subtotals": [
        {"level1": "产出指标", "level2": "数量指标", "weight": 20.0, "score": 19.1},
        {"level1": "产出指标", "level2": "质量指标", "weight": 10.0, "score": 10.0},
        {"level1": "产出指标", "level2": "时效指标", "weight": 10.0, "score": 9.5},
        {"level1": "产出指标", "level2": "成本指标", "weight": 10.0, "score": None},
        {"level1": "效益指标", "level2": "社会效益指标", "weight": 15.0, "score": 14.25},
        {"level1": "效益指标", "level2": "可持续影响指标", "weight": 15.0, "score": 12.0},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "weight": 10.0, "score": 9.44}],
    "total": 87.31, "applicable_weight": 90.0, "grade": "良", "awarded_total": 91.0,
    "flags": [{"code": "execution_below_90_unexplained", "message": "预算执行率低于90%且未说明原因"},
              {"code": "awarded_differs", "message": "自评得分与规则得分不一致（2项）"},
              {"code": "some_future_code", "message": "新的提示信息"}],
    "problems": "部分学校供餐设施老化；个别学校食堂从业人员培训不足。",
    "measures": "-1 加快食堂设施更新改造；加强从业人员培训和食品安全监管。",
}


def sample_results(**overrides) -> dict:
    """A deep copy of the sample results, with top-level keys replaced by ``overrides``."""
    r = copy.deepcopy(_RESULTS)
    r.update(overrides)
    return r
