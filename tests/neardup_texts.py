"""News-like texts for the near-duplicate tests, written for them (our own words).

For each language: an article, the same article reposted with a header and a footer of the
reposting blog, and a second, genuinely different article on the same topic (same names,
same numbers, same event, other sentences), which must not be taken for a copy.
"""

from __future__ import annotations

KO_ARTICLE = "\n\n".join(
    (
        "서울시가 이번 주부터 폭염 특보가 내려지면 시내 무더위 쉼터 420곳을 밤 9시까지 "
        "연장 운영한다고 밝혔다. 지금까지 대부분의 쉼터는 오후 6시에 문을 닫았다.",
        "시는 홀로 사는 노인과 거동이 불편한 주민을 위해 동 주민센터 직원과 방문 간호사가 "
        "하루 두 차례 안부 전화를 걸고, 연락이 닿지 않으면 직접 집을 찾아가도록 했다.",
        "공사장과 택배 물류센터 같은 야외 작업장에는 오후 2시부터 5시까지 작업을 멈추도록 "
        "권고하고, 이를 지키지 않는 현장은 구청이 점검해 명단을 공개할 계획이다.",
        "기상청은 다음 주 중반까지 낮 최고기온이 35도 안팎에 이르고 열대야도 이어질 것으로 "
        "내다봤다. 시 관계자는 물을 자주 마시고 한낮에는 외출을 줄여 달라고 당부했다.",
    )
)

KO_REPOST = "\n\n".join(
    (
        "※ 오늘 아침 신문에서 본 기사를 우리 동네 소식으로 옮겨 둡니다.",
        KO_ARTICLE,
        "출처: 지역 일간지 8월 2일자 보도",
    )
)

KO_SAME_TOPIC = "\n\n".join(
    (
        "낮 기온이 35도를 넘나드는 날씨가 계속되자 서울 곳곳의 무더위 쉼터가 붐비고 있다. "
        "경로당과 도서관을 고친 쉼터 420곳 가운데 상당수는 점심 무렵부터 자리가 찼다.",
        "시청은 폭염 특보가 나오면 쉼터 문을 밤늦게까지 열어 두기로 했지만, 현장에서는 "
        "냉방비와 관리 인력이 부족하다는 목소리가 나온다. 한 쉼터 관리인은 혼자서 "
        "오십 명 넘는 어르신을 돌본다고 말했다.",
        "택배 기사와 건설 노동자들은 한낮 작업 중지 권고가 반갑지만 일감이 줄어 "
        "수입이 걱정된다고 했다. 노동단체는 권고가 아니라 의무로 바꿔야 한다고 주장한다.",
        "전문가들은 열대야가 길어질수록 노인과 만성질환자의 건강이 위험해진다며, 이웃이 "
        "서로 안부를 묻는 것만으로도 온열 질환을 크게 줄일 수 있다고 강조했다.",
    )
)

EN_ARTICLE = "\n\n".join(
    (
        "The city council voted on Tuesday to close four blocks of Harbour Street to cars every "
        "Sunday from June, turning the waterfront road into a space for walking, cycling and "
        "market stalls. The trial will run for six months.",
        "Supporters said the change would bring families back to the harbour and help the small "
        "cafes that lost customers during the long road works last year. Twelve councillors "
        "backed the plan and five voted against it.",
        "Opponents warned that traffic would spill into the narrow streets of the old town and "
        "that delivery vans would have nowhere to stop. The council promised two loading bays "
        "at each end of the closed section.",
        "Buses will be diverted along Mill Road on Sundays. The council will count visitors and "
        "measure air quality during the trial before deciding whether to make the closure "
        "permanent next spring.",
    )
)

EN_REPOST = "\n\n".join(
    (
        "Big news for the neighbourhood, copied here from the local paper:",
        EN_ARTICLE,
        "Source: the Harbour Gazette. Comments are open below.",
    )
)

EN_SAME_TOPIC = "\n\n".join(
    (
        "From June, Harbour Street will belong to people on foot every Sunday. After a heated "
        "evening debate, councillors agreed by twelve votes to five to keep cars off the four "
        "blocks along the water for a six-month trial.",
        "Cafe owners on the waterfront were delighted; several told us last year's road works "
        "nearly put them out of business. Residents of the old town were less happy and expect "
        "their lanes to fill with drivers looking for a way around.",
        "Delivery firms asked where they are supposed to unload. The answer, for now, is a pair "
        "of loading bays at either end, which one driver called a joke for a street with forty "
        "shops.",
        "Whether the experiment lasts will depend on the numbers: the council plans to count "
        "visitors and check pollution levels, and Sunday buses will take Mill Road instead.",
    )
)
