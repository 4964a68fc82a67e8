"""The Teshio–Wakkanai demo town: real facility coordinates, fictional residents.

Coordinates of facilities and settlements are approximate (WGS84, from the project brief).
Every person, home, phone number and car here is fictional.
"""

from __future__ import annotations

from decimal import Decimal

TOWN = {"slug": "teshio", "name": "天塩町", "name_kana": "テシオチョウ",
        "website": "https://www.teshiotown.hokkaido.jp/"}

#: (key, kind, name, kana, lat, lon, settlement)
FACILITIES = [
    ("teshio_office", "town_office", "天塩町役場", "テシオチョウヤクバ", 44.884, 141.747, "天塩"),
    (
        "teshio_hospital",
        "hospital",
        "天塩町立国保病院",
        "テシオチョウリツコクホビョウイン",
        44.887,
        141.750,
        "天塩",
    ),
    (
        "wakkanai_hospital",
        "hospital",
        "市立稚内病院",
        "シリツワッカナイビョウイン",
        45.413,
        141.680,
        "稚内",
    ),
    (
        "wakkanai_station",
        "station",
        "JR稚内駅",
        "ジェイアールワッカナイエキ",
        45.417,
        141.677,
        "稚内",
    ),
    (
        "wakkanai_office",
        "town_office",
        "稚内市役所",
        "ワッカナイシヤクショ",
        45.416,
        141.673,
        "稚内",
    ),
    (
        "horonobe_office",
        "town_office",
        "幌延町役場",
        "ホロノベチョウヤクバ",
        45.019,
        141.846,
        "幌延",
    ),
    (
        "toyotomi_office",
        "town_office",
        "豊富町役場",
        "トヨトミチョウヤクバ",
        45.103,
        141.779,
        "豊富",
    ),
    ("bakkai", "other", "抜海", "バッカイ", 45.303, 141.636, "抜海"),
    ("yuchi", "other", "勇知", "ユウチ", 45.300, 141.715, "勇知"),
    ("koetoi", "other", "声問", "コエトイ", 45.401, 141.761, "声問"),
    ("onobunai", "other", "雄信内", "オノブナイ", 44.974, 141.839, "雄信内"),
    ("ubushi", "other", "産士", "ウブシ", 44.860, 141.800, "産士"),
    ("teshio_store", "shop", "天塩みなとストア", "テシオミナトストア", 44.8825, 141.7445, "天塩"),
    ("teshio_clinic", "clinic", "天塩かわべ歯科", "テシオカワベシカ", 44.8858, 141.7436, "天塩"),
    (
        "wakkanai_mall",
        "shop",
        "稚内駅前ショッピングセンター",
        "ワッカナイエキマエショッピングセンター",
        45.4155,
        141.6745,
        "稚内",
    ),
    (
        "toyotomi_clinic",
        "clinic",
        "豊富ひまわり診療所",
        "トヨトミヒマワリシンリョウジョ",
        45.1015,
        141.7755,
        "豊富",
    ),
    (
        "horonobe_store",
        "shop",
        "幌延ふれあいマート",
        "ホロノベフレアイマート",
        45.0205,
        141.8440,
        "幌延",
    ),
]

#: Settlement centres that homes are spread around, with their area code prefix for landlines.
SETTLEMENTS = {
    "天塩": (44.884, 141.747, "01632-2"),
    "雄信内": (44.974, 141.839, "01632-7"),
    "産士": (44.860, 141.800, "01632-4"),
    "幌延": (45.019, 141.846, "01632-5"),
    "豊富": (45.103, 141.779, "0162-82"),
    "抜海": (45.303, 141.636, "0162-26"),
    "勇知": (45.300, 141.715, "0162-29"),
    "声問": (45.401, 141.761, "0162-27"),
}

#: Riders: (family, given, family kana, given kana, settlement, phone kind, needs, channel, lang)
#: needs: "" or letters w (wheelchair), k (walker), b (boarding help)
RIDERS = [
    ("佐藤", "和子", "サトウ", "カズコ", "天塩", "landline", "k", "voice", "ja"),
    ("鈴木", "清", "スズキ", "キヨシ", "天塩", "landline", "", "voice", "ja"),
    ("高橋", "幸子", "タカハシ", "サチコ", "天塩", "mobile", "", "sms", "ja"),
    ("田中", "茂", "タナカ", "シゲル", "天塩", "landline", "b", "staff_call", "ja"),
    ("伊藤", "節子", "イトウ", "セツコ", "天塩", "landline", "w", "voice", "ja"),
    ("渡辺", "勇", "ワタナベ", "イサム", "天塩", "mobile", "", "sms", "ja"),
    ("山本", "弘子", "ヤマモト", "ヒロコ", "天塩", "landline", "k", "voice", "ja"),
    ("中村", "進", "ナカムラ", "ススム", "天塩", "landline", "", "voice", "ja"),
    ("小林", "久子", "コバヤシ", "ヒサコ", "雄信内", "landline", "b", "voice", "ja"),
    ("加藤", "博", "カトウ", "ヒロシ", "雄信内", "mobile", "", "sms", "ja"),
    ("吉田", "美智子", "ヨシダ", "ミチコ", "雄信内", "landline", "k", "staff_call", "ja"),
    ("山田", "実", "ヤマダ", "ミノル", "産士", "landline", "", "voice", "ja"),
    ("佐々木", "洋子", "ササキ", "ヨウコ", "産士", "mobile", "", "sms", "ja"),
    ("山口", "正雄", "ヤマグチ", "マサオ", "産士", "landline", "w", "voice", "ja"),
    ("松本", "恵子", "マツモト", "ケイコ", "幌延", "mobile", "", "sms", "ja"),
    ("井上", "勝", "イノウエ", "マサル", "幌延", "landline", "b", "voice", "ja"),
    ("木村", "信子", "キムラ", "ノブコ", "幌延", "landline", "k", "voice", "ja"),
    ("林", "武", "ハヤシ", "タケシ", "幌延", "landline", "", "staff_call", "ja"),
    ("斎藤", "京子", "サイトウ", "キョウコ", "豊富", "mobile", "", "sms", "ja"),
    ("清水", "昭", "シミズ", "アキラ", "豊富", "landline", "", "voice", "ja"),
    ("山崎", "悦子", "ヤマザキ", "エツコ", "豊富", "landline", "k", "voice", "ja"),
    ("森", "一郎", "モリ", "イチロウ", "豊富", "landline", "", "voice", "ja"),
    ("阿部", "光子", "アベ", "ミツコ", "抜海", "landline", "b", "voice", "ja"),
    ("池田", "修", "イケダ", "オサム", "抜海", "mobile", "", "sms", "ja"),
    ("橋本", "文子", "ハシモト", "フミコ", "勇知", "landline", "k", "staff_call", "ja"),
    ("石川", "稔", "イシカワ", "ミノル", "勇知", "landline", "", "voice", "ja"),
    ("前田", "静子", "マエダ", "シズコ", "声問", "landline", "", "voice", "ja"),
    ("藤田", "豊", "フジタ", "ユタカ", "声問", "mobile", "", "sms", "ja"),
    ("後藤", "富子", "ゴトウ", "トミコ", "天塩", "landline", "wb", "staff_call", "ja"),
    ("岡田", "千代", "オカダ", "チヨ", "天塩", "landline", "k", "voice", "ja"),
    ("長谷川", "ハル", "ハセガワ", "ハル", "産士", "landline", "b", "voice", "ja"),
    ("ブラウン", "エミリー", "ブラウン", "エミリー", "天塩", "mobile", "", "sms", "en"),
]

#: Drivers: (family, given, family kana, given kana, settlement, car colour, model, seats,
#: wheelchair spaces, km/L)
DRIVERS = [
    ("村上", "健一", "ムラカミ", "ケンイチ", "天塩", "白", "トヨタ プリウス", 3, 0, 22.0),
    ("近藤", "誠", "コンドウ", "マコト", "天塩", "銀", "トヨタ シエンタ 車いす仕様", 3, 1, 15.0),
    ("坂本", "浩二", "サカモト", "コウジ", "幌延", "紺", "スバル フォレスター", 4, 0, 13.0),
    ("遠藤", "美香", "エンドウ", "ミカ", "豊富", "赤", "ホンダ フィット", 3, 0, 20.0),
    ("青木", "隆", "アオキ", "タカシ", "雄信内", "黒", "トヨタ ノア", 6, 0, 14.0),
    ("藤井", "裕子", "フジイ", "ユウコ", "天塩", "水色", "スズキ ハスラー", 3, 0, 21.0),
    ("西村", "大輔", "ニシムラ", "ダイスケ", "声問", "白", "日産 セレナ", 6, 0, 14.5),
    ("福田", "直美", "フクダ", "ナオミ", "産士", "緑", "ダイハツ タント", 3, 0, 19.0),
    ("太田", "哲也", "オオタ", "テツヤ", "抜海", "灰", "マツダ CX-5", 4, 0, 15.5),
    ("三浦", "真由美", "ミウラ", "マユミ", "天塩", "白", "トヨタ アクア", 3, 0, 25.0),
]

#: Weekly offers: (driver index, weekday, depart, return, destination key, seats,
#: detour minutes per rider, auto-accept, note). Start and end are the driver's home. Trips
#: in :data:`OWN_TRIPS` say when their driver must be there and may leave; the others keep
#: what migration 0012 gave them (a third into the window and a third before its end, and
#: extra_minutes = detour × seats).
WEEKLY_OFFERS = [
    (0, 1, "08:00", "15:00", "wakkanai_hospital", 3, 20, False,
     "火曜は市立稚内病院へ。10時着、13時以降に帰ります"),
    (0, 4, "08:00", "15:00", "wakkanai_hospital", 3, 20, False,
     "金曜は市立稚内病院へ。10時着、13時以降に帰ります"),
    (1, 0, "09:00", "12:00", "teshio_hospital", 3, 15, True, "町内の通院送迎"),
    (1, 2, "09:00", "12:00", "teshio_hospital", 3, 15, True, "町内の通院送迎"),
    (1, 3, "13:00", "16:30", "teshio_store", 3, 15, True, "午後の買い物便"),
    (2, 2, "07:30", "14:00", "wakkanai_hospital", 4, 25, False, "幌延から稚内へ"),
    (3, 3, "08:30", "13:30", "wakkanai_mall", 3, 20, False, "豊富から稚内へ"),
    (4, 1, "08:30", "11:30", "teshio_office", 5, 15, True, "雄信内から天塩市街へ"),
    (5, 5, "10:00", "12:30", "teshio_store", 3, 10, True, "土曜の買い物"),
    (6, 0, "09:00", "12:00", "wakkanai_hospital", 5, 15, False, "声問から稚内市内へ"),
    (7, 4, "09:00", "11:30", "teshio_hospital", 3, 15, True, "産士から天塩市街へ"),
    (7, 1, "09:00", "15:30", "wakkanai_hospital", 3, 20, False,
     "火曜は稚内で用事。天塩市街も寄れます。11時半着、13時半以降に帰ります"),
    (8, 3, "08:00", "12:00", "wakkanai_station", 3, 15, False, "抜海から稚内へ"),
    (9, 6, "10:00", "12:00", "teshio_store", 3, 10, True, "日曜の買い物"),
    (9, 1, "08:30", "16:00", "wakkanai_station", 3, 20, False,
     "火曜は稚内で用事。11時着、14時以降に帰ります"),
]

#: The Teshio→Wakkanai trips as their drivers gave them (about 70 minutes each way in summer,
#: 84 in winter): (driver index, weekday) -> (there by, leaving after, extra minutes of driving
#: for riders over the whole trip).
OWN_TRIPS = {
    (0, 1): ("10:00", "13:00", 20),  # 村上 健一, Tuesday: 自宅 → 市立稚内病院 → 自宅
    (0, 4): ("10:00", "13:00", 20),  # 村上 健一, Friday
    (7, 1): ("11:30", "13:30", 25),  # 福田 直美 from 産士, Tuesday
    (9, 1): ("11:00", "14:00", 20),  # 三浦 真由美, Tuesday: 自宅 → JR稚内駅 → 自宅
}

#: Ride requests of the days after the load day: (rider index, weekday, destination key,
#: "arrive_by"/"pickup_after", HH:MM, return pick-up after HH:MM or "" or "open", party).
#: Each falls on the next such weekday after the load day, so that riders go with the cars of
#: their day: on Friday 鈴木 清 and 山本 弘子 (two people) ride along with 村上 健一 to the
#: hospital and back; on Tuesday, the busiest day, three cars go to Wakkanai with seats to spare.
REQUESTS = [
    (3, 0, "teshio_hospital", "arrive_by", "10:00", "11:30", 1),
    (26, 0, "wakkanai_hospital", "arrive_by", "10:00", "11:30", 1),
    (9, 1, "teshio_office", "arrive_by", "10:00", "11:00", 1),
    (5, 1, "wakkanai_hospital", "arrive_by", "09:45", "13:00", 1),
    (7, 1, "wakkanai_mall", "arrive_by", "11:00", "14:00", 1),
    (14, 2, "wakkanai_hospital", "arrive_by", "09:30", "12:30", 1),
    (15, 2, "wakkanai_hospital", "arrive_by", "09:30", "12:30", 1),
    (28, 2, "teshio_hospital", "arrive_by", "09:30", "11:00", 1),
    (18, 3, "wakkanai_mall", "pickup_after", "09:00", "12:00", 1),
    (19, 3, "wakkanai_hospital", "arrive_by", "10:00", "12:30", 1),
    (23, 3, "wakkanai_station", "arrive_by", "09:30", "", 1),
    (29, 3, "teshio_store", "pickup_after", "13:30", "15:00", 1),
    (1, 4, "wakkanai_hospital", "arrive_by", "10:00", "13:00", 1),
    (6, 4, "wakkanai_hospital", "arrive_by", "10:30", "13:00", 2),
    (12, 4, "teshio_hospital", "arrive_by", "09:45", "11:00", 1),
    (30, 5, "teshio_store", "pickup_after", "10:30", "11:30", 1),
    (13, 5, "teshio_hospital", "arrive_by", "10:00", "11:30", 1),
    (31, 5, "wakkanai_mall", "pickup_after", "10:00", "", 1),
    (27, 6, "wakkanai_mall", "pickup_after", "10:00", "", 1),
    (10, 6, "teshio_store", "pickup_after", "10:15", "11:30", 1),
]

#: Ride requests of the load day itself (those whose time has passed are left out).
TODAY_REQUESTS = [
    (0, "teshio_hospital", "arrive_by", "10:00", "11:30", 1),
    (4, "teshio_hospital", "arrive_by", "10:30", "12:00", 1),
    (2, "teshio_store", "pickup_after", "14:00", "15:30", 1),
    (8, "teshio_office", "arrive_by", "11:00", "open", 1),
]

#: Demo staff accounts: (username, display name, role, password) — for the demo database only.
DEMO_LOGINS = [
    ("madoguchi", "窓口 花子", "staff", "teshio-demo-2026"),
    ("admin", "管理者 太郎", "admin", "teshio-admin-2026"),
]

#: Regular petrol in northern Hokkaido, yen per litre (the town updates it on the costs page).
FUEL_PRICE_YEN_PER_LITRE = Decimal("175.0")
