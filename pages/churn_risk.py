from ui.frame import require_frame
from ui.placeholder import coming_soon

require_frame()

coming_soon(
    "Churn risk",
    "Who is about to leave?",
    [
        "One click to train and compare models on your data, with honest results on customers "
        "the model never saw, next to a simple one-rule baseline",
        "Every customer scored with a churn probability and a High / Medium / Low risk band",
        "The at-risk list ranked by value at risk, with top reasons and a suggested action, "
        "as CSV or Excel",
    ],
)
