from ui.frame import require_frame
from ui.placeholder import coming_soon

require_frame()

coming_soon(
    "Segments",
    "Which groups of customers behave alike?",
    [
        "Groups of similar customers found automatically (KMeans), with a recommended number "
        "of groups and the reason",
        "A plain name for each group, such as *New, low usage, many tickets*",
        "Size, churn rate, revenue and a suggested retention play per group",
        "A download of which customer is in which group",
    ],
)
