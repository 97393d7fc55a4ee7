#!/usr/bin/env python3
"""The exam-day benchmark's checks on their own (the test command runs this as bench.exam_day.checks):
a learner's value is translated through the attempt's drawn order before it is compared with what
the database holds, a deliberately wrong answer or score is caught, and a value the draw cannot
hold is never taken for right. The smoke runs (bench.exam_day.*) test the same checks against a
real server and database."""
import os, sys, unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exam_day import check_answers, expected_score, save_candidates, stored_form  # noqa: E402

BANK = {
    "q1": {"type": "single_choice", "right": "a", "mark": 1.0},
    "q2": {"type": "true_false", "right": True, "mark": 1.0},
    "q3": {"type": "short_answer", "right": "khóa 3", "mark": 2.0},
    "q4": {"type": "ordering", "right": ["i1", "i2", "i3"], "mark": 1.0},
}
TYPES = {q: b["type"] for q, b in BANK.items()}
# The attempt drew q1's options as c, a, d, b and q4's items as i3, i1, i2: the learner saw
# "1" = c, "2" = a, ... and the author's right option a is shown second.
DRAWN = [{"id": "q1", "order": ["c", "a", "d", "b"]}, {"id": "q2", "order": []}, {"id": "q3", "order": []},
         {"id": "q4", "order": ["i3", "i1", "i2"]}]
ORDERS = {7: {d["id"]: d["order"] for d in DRAWN}}


class SaveCandidates(unittest.TestCase):
    """Phase 2: which saves to one slot the database may hold at the end."""

    def test_sequential_saves_the_last_acknowledged_wins(self):
        # One wrk thread: 1 sent, answered; then 2 sent, answered.
        sent = {1: (0, 0, 0), 2: (0, 0, 2)}
        answered = {1: (0, 0, 1), 2: (0, 0, 3)}
        self.assertEqual(save_candidates([1, 2], {1: 200, 2: 200}, sent, answered), [2])

    def test_overlapping_saves_either_may_win(self):
        # 1 is sent, 2 is sent on another connection before 1 is answered: the server may apply
        # them in either order (the 2 wrong answers a smoke run once reported on PostgreSQL).
        sent = {1: (0, 0, 0), 2: (0, 0, 1)}
        answered = {1: (0, 0, 3), 2: (0, 0, 2)}
        self.assertEqual(save_candidates([1, 2], {1: 200, 2: 200}, sent, answered), [1, 2])

    def test_threads_of_one_run_are_not_ordered_but_runs_are(self):
        sent = {1: (0, 0, 0), 2: (0, 1, 5), 3: (1, 0, 0)}
        answered = {1: (0, 0, 1), 2: (0, 1, 6), 3: (1, 0, 1)}
        self.assertEqual(save_candidates([1, 2], {1: 200, 2: 200}, sent, answered), [1, 2])
        self.assertEqual(save_candidates([1, 2, 3], {1: 200, 2: 200, 3: 200}, sent, answered), [3])

    def test_an_unanswered_or_refused_save_stays_possible_unless_superseded(self):
        sent = {1: (0, 0, 0), 2: (0, 0, 2), 3: (0, 0, 4)}
        answered = {1: (0, 0, 1), 2: (0, 0, 3)}  # 3 was in flight when wrk stopped
        self.assertEqual(save_candidates([1, 2, 3], {1: 200, 2: 200}, sent, answered), [2, 3])
        # A refused save answered before an acknowledged one was sent is superseded like any other.
        self.assertEqual(save_candidates([1, 2], {1: 422, 2: 200}, sent, answered), [2])


class StoredForm(unittest.TestCase):
    def test_positions_become_the_drawn_ids(self):
        self.assertEqual(stored_form("single_choice", ["c", "a", "d", "b"], "2"), "a")
        self.assertEqual(stored_form("single_choice", ["c", "a", "d", "b"], "4"), "b")
        self.assertEqual(stored_form("ordering", ["i3", "i1", "i2"], ["2", "3", "1"]), ["i1", "i2", "i3"])

    def test_other_types_pass_unchanged(self):
        self.assertIs(stored_form("true_false", [], True), True)
        self.assertEqual(stored_form("short_answer", [], "khóa 3"), "khóa 3")

    def test_what_the_draw_cannot_hold_has_no_stored_form(self):
        for bad in ("0", "5", "a", "", "１", "+1", " 1", None, 2):
            self.assertIsNone(stored_form("single_choice", ["c", "a", "d", "b"], bad), bad)
        self.assertIsNone(stored_form("ordering", ["i3", "i1", "i2"], ["1", "2", "9"]))


class CheckAnswers(unittest.TestCase):
    SENT = {7: {"q1": "2", "q2": True, "q3": "khóa 3", "q4": ["2", "3", "1"]}}
    STORED = {7: {"q1": "a", "q2": True, "q3": "khóa 3", "q4": ["i1", "i2", "i3"]}}

    def test_what_the_server_stored_checks_out(self):
        checked, missing, wrong, extra = check_answers(self.SENT, self.STORED, ORDERS, TYPES)
        self.assertEqual((checked, missing, wrong, extra), (4, [], [], []))

    def test_a_wrong_answer_is_caught(self):
        for q, value in (("q1", "c"), ("q1", "2"), ("q2", False), ("q3", "khóa 4"), ("q4", ["i3", "i1", "i2"])):
            stored = {7: dict(self.STORED[7], **{q: value})}
            _, missing, wrong, extra = check_answers(self.SENT, stored, ORDERS, TYPES)
            self.assertEqual((len(missing), len(wrong), len(extra)), (0, 1, 0), (q, value))

    def test_a_lost_and_an_unexpected_answer_are_caught(self):
        stored = {7: {k: v for k, v in self.STORED[7].items() if k != "q3"}}
        stored[7]["q9"] = "x"
        _, missing, wrong, extra = check_answers(self.SENT, stored, ORDERS, TYPES)
        self.assertEqual((len(missing), len(wrong), len(extra)), (1, 0, 1))

    def test_an_acknowledged_value_outside_the_draw_is_wrong(self):
        sent = {7: dict(self.SENT[7], q1="9")}
        _, _, wrong, _ = check_answers(sent, self.STORED, ORDERS, TYPES)
        self.assertEqual(len(wrong), 1)


class ExpectedScore(unittest.TestCase):
    def test_right_answers_by_position_score_full_marks(self):
        sent = {"q1": "2", "q2": True, "q3": "khóa 3", "q4": ["2", "3", "1"]}
        self.assertEqual(expected_score(DRAWN, sent, BANK), (5.0, 5.0))

    def test_the_author_id_or_the_wrong_position_scores_nothing(self):
        # "1" is the first option shown, which is c; "a" is not a position at all.
        self.assertEqual(expected_score(DRAWN, {"q1": "1"}, BANK), (0.0, 5.0))
        self.assertEqual(expected_score(DRAWN, {"q1": "a"}, BANK), (0.0, 5.0))
        self.assertEqual(expected_score(DRAWN, {"q2": False}, BANK), (0.0, 5.0))


if __name__ == "__main__":
    unittest.main()
