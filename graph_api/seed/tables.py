"""Reference data and identifier helpers for the seed generator (graph_api/seed/generator.py): real
administrative divisions, departments, industries (GB/T 4754-2017 divisions), names and the texts of
credit records. Everything here is a constant or a pure function, so the generator stays deterministic."""

from __future__ import annotations

from graph_api.domain.identifiers import USCC_ALPHABET
from graph_api.domain.vocabulary import CATEGORIES, NEGATIVE_CATEGORIES

Texts = tuple[str, ...]  # the summaries (or words) one of which is drawn

# --- Administrative divisions (GB/T 2260) -----------------------------------------------------------
# (city code, city name, short name used in decision numbers, province, province abbreviation,
#  province short name, weight, [(district code, district name, short name, rural?)])
District = tuple[str, str, str, int]
City = tuple[str, str, str, str, str, str, int, list[District]]
CITIES: list[City] = [
    (
        "370100",
        "济南市",
        "济",
        "山东省",
        "鲁",
        "山东",
        4,
        [
            ("370102", "历下区", "历下", 0),
            ("370103", "市中区", "市中", 0),
            ("370105", "天桥区", "天桥", 0),
            ("370112", "历城区", "历城", 1),
        ],
    ),
    (
        "370200",
        "青岛市",
        "青",
        "山东省",
        "鲁",
        "山东",
        7,
        [
            ("370202", "市南区", "市南", 0),
            ("370203", "市北区", "市北", 0),
            ("370211", "黄岛区", "黄岛", 1),
            ("370212", "崂山区", "崂山", 1),
            ("370213", "李沧区", "李沧", 0),
            ("370214", "城阳区", "城阳", 1),
            ("370281", "胶州市", "胶州", 1),
        ],
    ),
    (
        "370600",
        "烟台市",
        "烟",
        "山东省",
        "鲁",
        "山东",
        2,
        [("370602", "芝罘区", "芝罘", 0), ("370613", "莱山区", "莱山", 1)],
    ),
    (
        "370700",
        "潍坊市",
        "潍",
        "山东省",
        "鲁",
        "山东",
        2,
        [("370702", "潍城区", "潍城", 0), ("370705", "奎文区", "奎文", 0), ("370782", "诸城市", "诸城", 1)],
    ),
    (
        "110000",
        "北京市",
        "",
        "",
        "京",
        "北京",
        6,
        [
            ("110101", "东城区", "东城", 0),
            ("110102", "西城区", "西城", 0),
            ("110105", "朝阳区", "朝阳", 0),
            ("110106", "丰台区", "丰台", 0),
            ("110108", "海淀区", "海淀", 0),
            ("110112", "通州区", "通州", 1),
            ("110114", "昌平区", "昌平", 1),
        ],
    ),
    (
        "310000",
        "上海市",
        "",
        "",
        "沪",
        "上海",
        6,
        [
            ("310101", "黄浦区", "黄浦", 0),
            ("310104", "徐汇区", "徐汇", 0),
            ("310105", "长宁区", "长宁", 0),
            ("310106", "静安区", "静安", 0),
            ("310107", "普陀区", "普陀", 0),
            ("310110", "杨浦区", "杨浦", 0),
            ("310112", "闵行区", "闵行", 1),
            ("310115", "浦东新区", "浦东", 1),
        ],
    ),
    (
        "120000",
        "天津市",
        "",
        "",
        "津",
        "天津",
        2,
        [("120101", "和平区", "和平", 0), ("120103", "河西区", "河西", 0), ("120116", "滨海新区", "滨海", 1)],
    ),
    (
        "500000",
        "重庆市",
        "",
        "",
        "渝",
        "重庆",
        2,
        [("500103", "渝中区", "渝中", 0), ("500106", "沙坪坝区", "沙坪坝", 0), ("500112", "渝北区", "渝北", 1)],
    ),
    (
        "440100",
        "广州市",
        "穗",
        "广东省",
        "粤",
        "广东",
        5,
        [
            ("440103", "荔湾区", "荔湾", 0),
            ("440104", "越秀区", "越秀", 0),
            ("440106", "天河区", "天河", 0),
            ("440111", "白云区", "白云", 1),
            ("440113", "番禺区", "番禺", 1),
        ],
    ),
    (
        "440300",
        "深圳市",
        "深",
        "广东省",
        "粤",
        "广东",
        6,
        [
            ("440303", "罗湖区", "罗湖", 0),
            ("440304", "福田区", "福田", 0),
            ("440305", "南山区", "南山", 0),
            ("440306", "宝安区", "宝安", 1),
            ("440307", "龙岗区", "龙岗", 1),
        ],
    ),
    (
        "440600",
        "佛山市",
        "佛",
        "广东省",
        "粤",
        "广东",
        2,
        [("440604", "禅城区", "禅城", 0), ("440606", "顺德区", "顺德", 1)],
    ),
    (
        "330100",
        "杭州市",
        "杭",
        "浙江省",
        "浙",
        "浙江",
        4,
        [
            ("330102", "上城区", "上城", 0),
            ("330106", "西湖区", "西湖", 0),
            ("330108", "滨江区", "滨江", 0),
            ("330110", "余杭区", "余杭", 1),
        ],
    ),
    (
        "330200",
        "宁波市",
        "甬",
        "浙江省",
        "浙",
        "浙江",
        2,
        [("330203", "海曙区", "海曙", 0), ("330212", "鄞州区", "鄞州", 1)],
    ),
    (
        "330300",
        "温州市",
        "温",
        "浙江省",
        "浙",
        "浙江",
        2,
        [("330302", "鹿城区", "鹿城", 0), ("330381", "瑞安市", "瑞安", 1)],
    ),
    (
        "330700",
        "金华市",
        "金",
        "浙江省",
        "浙",
        "浙江",
        2,
        [("330702", "婺城区", "婺城", 0), ("330782", "义乌市", "义乌", 1)],
    ),
    (
        "320100",
        "南京市",
        "宁",
        "江苏省",
        "苏",
        "江苏",
        3,
        [
            ("320102", "玄武区", "玄武", 0),
            ("320105", "建邺区", "建邺", 0),
            ("320106", "鼓楼区", "鼓楼", 0),
            ("320115", "江宁区", "江宁", 1),
        ],
    ),
    (
        "320500",
        "苏州市",
        "苏",
        "江苏省",
        "苏",
        "江苏",
        4,
        [
            ("320505", "虎丘区", "虎丘", 0),
            ("320506", "吴中区", "吴中", 1),
            ("320508", "姑苏区", "姑苏", 0),
            ("320583", "昆山市", "昆山", 1),
        ],
    ),
    (
        "320200",
        "无锡市",
        "锡",
        "江苏省",
        "苏",
        "江苏",
        2,
        [("320211", "滨湖区", "滨湖", 1), ("320213", "梁溪区", "梁溪", 0)],
    ),
    (
        "510100",
        "成都市",
        "成",
        "四川省",
        "川",
        "四川",
        3,
        [
            ("510104", "锦江区", "锦江", 0),
            ("510105", "青羊区", "青羊", 0),
            ("510107", "武侯区", "武侯", 0),
            ("510108", "成华区", "成华", 0),
        ],
    ),
    (
        "420100",
        "武汉市",
        "武",
        "湖北省",
        "鄂",
        "湖北",
        3,
        [("420102", "江岸区", "江岸", 0), ("420106", "武昌区", "武昌", 0), ("420111", "洪山区", "洪山", 1)],
    ),
    (
        "410100",
        "郑州市",
        "郑",
        "河南省",
        "豫",
        "河南",
        2,
        [("410102", "中原区", "中原", 0), ("410105", "金水区", "金水", 0)],
    ),
    (
        "350100",
        "福州市",
        "榕",
        "福建省",
        "闽",
        "福建",
        1,
        [("350102", "鼓楼区", "鼓楼", 0), ("350104", "仓山区", "仓山", 1)],
    ),
    (
        "350200",
        "厦门市",
        "厦",
        "福建省",
        "闽",
        "福建",
        2,
        [("350203", "思明区", "思明", 0), ("350206", "湖里区", "湖里", 0)],
    ),
    (
        "610100",
        "西安市",
        "西",
        "陕西省",
        "陕",
        "陕西",
        2,
        [("610102", "新城区", "新城", 0), ("610113", "雁塔区", "雁塔", 0)],
    ),
    (
        "430100",
        "长沙市",
        "长",
        "湖南省",
        "湘",
        "湖南",
        2,
        [("430102", "芙蓉区", "芙蓉", 0), ("430104", "岳麓区", "岳麓", 1)],
    ),
    (
        "340100",
        "合肥市",
        "合",
        "安徽省",
        "皖",
        "安徽",
        2,
        [("340104", "蜀山区", "蜀山", 0), ("340111", "包河区", "包河", 0)],
    ),
    (
        "130100",
        "石家庄市",
        "石",
        "河北省",
        "冀",
        "河北",
        1,
        [("130102", "长安区", "长安", 0), ("130104", "桥西区", "桥西", 0)],
    ),
    (
        "210100",
        "沈阳市",
        "沈",
        "辽宁省",
        "辽",
        "辽宁",
        1,
        [("210102", "和平区", "和平", 0), ("210106", "铁西区", "铁西", 0)],
    ),
    (
        "210200",
        "大连市",
        "大",
        "辽宁省",
        "辽",
        "辽宁",
        1,
        [("210202", "中山区", "中山", 0), ("210204", "沙河口区", "沙河口", 0)],
    ),
]
CITY_WEIGHTS = [c[6] for c in CITIES]
DISTRICTS = [d for c in CITIES for d in c[7]]

# --- Departments ----------------------------------------------------------------------------------
# (code suffix, name suffix, abbreviation in decision numbers)
DEPT_KINDS = [
    ("SCJG", "市场监督管理局", "市监"),
    ("SWJ", "税务局", "税"),
    ("ZJJ", "住房和城乡建设局", "建"),
    ("STHJ", "生态环境局", "环"),
    ("RSJ", "人力资源和社会保障局", "人社"),
    ("FGW", "发展和改革委员会", "发改"),
    ("YJGL", "应急管理局", "应急"),
    ("JTYS", "交通运输局", "交"),
    ("NYNC", "农业农村局", "农"),
    ("MZJ", "民政局", "民"),
    ("WJW", "卫生健康委员会", "卫健"),
    ("ZJFY", "中级人民法院", ""),
]
DEPT_ABBR = {k: a for k, _, a in DEPT_KINDS}


def department_name(city: City, kind: str, suffix: str) -> str:
    name = city[1]
    if kind == "SWJ":
        return f"国家税务总局{name}税务局"
    if kind == "ZJFY":
        return f"{name}第一中级人民法院" if not city[3] else f"{name}中级人民法院"
    if kind == "ZJJ" and not city[3]:
        return f"{name}住房和城乡建设委员会"
    return name + suffix


def court_code(city: City) -> str:
    return city[4] + ("01" if city[0][2:4] == "00" else city[0][2:4])


# --- Industries (GB/T 4754-2017 divisions) ----------------------------------------------------------
# (code, name words, regulating departments, weight)
Industry = tuple[str, Texts, tuple[str, ...], int]
INDUSTRIES: list[Industry] = [
    ("C13", ("水产", "食品", "粮油"), ("SCJG", "STHJ"), 4),
    ("C14", ("食品", "乳业"), ("SCJG",), 3),
    ("C18", ("服饰", "服装"), ("SCJG", "RSJ"), 2),
    ("C26", ("化工", "精细化工"), ("STHJ", "YJGL"), 2),
    ("C27", ("医药", "生物制药"), ("SCJG", "STHJ"), 1),
    ("C29", ("塑料制品", "橡胶制品"), ("STHJ", "YJGL"), 2),
    ("C30", ("建材", "新型建材"), ("STHJ", "YJGL"), 2),
    ("C33", ("五金", "金属制品"), ("YJGL", "STHJ"), 2),
    ("C34", ("机械", "机械设备"), ("YJGL", "SCJG"), 3),
    ("C38", ("电气", "电器"), ("SCJG", "YJGL"), 2),
    ("C39", ("电子", "电子科技"), ("SCJG", "STHJ"), 2),
    ("D44", ("热力", "能源"), ("FGW", "YJGL"), 1),
    ("E47", ("建筑工程", "建设工程"), ("ZJJ", "YJGL", "RSJ"), 4),
    ("E48", ("市政工程", "路桥工程"), ("ZJJ", "JTYS"), 2),
    ("E50", ("装饰工程", "建筑装饰"), ("ZJJ",), 3),
    ("F51", ("贸易", "商贸", "进出口"), ("SCJG", "SWJ"), 8),
    ("F52", ("商贸", "百货", "超市"), ("SCJG",), 6),
    ("G54", ("运输", "物流"), ("JTYS", "YJGL"), 3),
    ("G58", ("国际货运代理", "供应链管理"), ("JTYS", "SWJ"), 2),
    ("G59", ("仓储", "冷链物流"), ("YJGL", "SCJG"), 2),
    ("H61", ("酒店管理", "宾馆"), ("SCJG", "WJW"), 2),
    ("H62", ("餐饮管理", "餐饮"), ("SCJG",), 5),
    ("I64", ("网络科技", "信息科技"), ("SCJG",), 4),
    ("I65", ("软件", "信息技术", "数据科技"), ("SCJG", "SWJ"), 5),
    ("J69", ("融资租赁", "商业保理"), ("SCJG", "SWJ"), 1),
    ("K70", ("房地产开发", "置业", "物业管理"), ("ZJJ",), 4),
    ("L71", ("设备租赁", "汽车租赁"), ("SCJG",), 1),
    ("L72", ("企业管理", "商务咨询", "人力资源"), ("SCJG", "RSJ"), 6),
    ("M73", ("生物科技",), ("SCJG",), 1),
    ("M74", ("检测技术", "工程设计"), ("SCJG", "ZJJ"), 2),
    ("M75", ("科技", "技术服务"), ("SCJG",), 4),
    ("N77", ("环保科技", "环境工程"), ("STHJ",), 1),
    ("N78", ("园林绿化", "市政园林"), ("ZJJ",), 1),
    ("O80", ("家政服务", "保洁服务"), ("SCJG", "RSJ"), 2),
    ("O81", ("汽车维修", "汽车服务"), ("JTYS", "SCJG"), 2),
    ("P83", ("教育科技", "文化培训"), ("SCJG",), 2),
    ("Q84", ("医疗管理", "健康管理"), ("WJW",), 1),
    ("R86", ("文化传媒", "影视传媒"), ("SCJG",), 2),
    ("R89", ("体育文化", "健身"), ("SCJG",), 1),
]
INDUSTRY_WEIGHTS = [i[3] for i in INDUSTRIES]
# Individual businesses: (industry, shop words)
SHOPS: list[tuple[str, Texts]] = [
    ("F52", ("便利店", "超市", "百货商店", "烟酒店", "水果店", "五金店")),
    ("H62", ("饭店", "面馆", "小吃店", "烧烤店", "快餐店")),
    ("O80", ("理发店", "洗衣店", "家政服务部")),
    ("O81", ("汽车修理部", "轮胎店")),
    ("H61", ("旅馆",)),
    ("F51", ("批发部", "粮油批发部")),
]
COOP_PRODUCTS = [
    ("A01", "蔬菜种植"),
    ("A01", "果品"),
    ("A03", "生猪养殖"),
    ("A04", "水产养殖"),
    ("A01", "茶叶种植"),
    ("A05", "农机服务"),
    ("A01", "土地股份"),
]
SOCIAL_ORGS = [  # (USCC category digit, industry, template; {c}=city, {d}=district, {b}=brand, {w}=industry word)
    ("1", "S95", "{c}{w}行业协会"),
    ("1", "S95", "{c}{w}商会"),
    ("1", "S95", "{c}{b}文化促进会"),
    ("2", "P83", "{d}{b}培训学校"),
    ("2", "Q85", "{c}{b}养老服务中心"),
    ("2", "Q85", "{d}{b}社会工作服务中心"),
    ("3", "S95", "{p}{b}慈善基金会"),
]
PUBLIC_INSTITUTIONS = [
    ("Q84", "{c}第{n}人民医院"),
    ("Q84", "{d}疾病预防控制中心"),
    ("S92", "{c}公共资源交易中心"),
    ("M74", "{c}产品质量检验研究院"),
    ("P83", "{c}第{n}中学"),
    ("P83", "{d}实验小学"),
    ("N78", "{d}市政设施管理中心"),
    ("R88", "{c}文化馆"),
]
NUMERALS = "一二三四五六七八九"
PLACES = (
    "大王",
    "河西",
    "李家",
    "东庄",
    "前进",
    "红旗",
    "新民",
    "马店",
    "石桥",
    "柳林",
    "杨庄",
    "北坦",
    "南泉",
    "青山",
    "白沙",
    "高峰",
    "龙泉",
    "兴隆",
    "太平",
    "永安",
    "三里",
    "东风",
    "张村",
    "王台",
    "辛庄",
    "后屯",
    "小河",
    "沙岭",
    "望海",
    "丰收",
)
BRAND = (
    "海韵蓝湾福满家华鑫盛鼎恒泰昌隆兴瑞祥宏达永康信诚金源丰正嘉和润博创新远航佳安宁益美德天宇星辰光明中合利通凯锦绣汇聚"
    "邦诺卓越腾飞祺云峰岳江河东方晟晨辉煌弘毅君立融耀骏途久睿智启"
)
ROADS = (
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "长江路",
    "黄河路",
    "和平路",
    "新华路",
    "文化路",
    "滨海大道",
    "科技路",
    "工业园路",
    "学府路",
    "金融街",
    "商业街",
    "高新大道",
    "朝阳路",
    "振兴路",
    "光明路",
    "幸福路",
)
COMPANY_SUFFIX = ("有限公司",) * 16 + ("有限责任公司",) * 3 + ("股份有限公司",)
GROUP_SUFFIX = ("控股集团有限公司", "集团有限公司", "集团股份有限公司", "实业集团有限公司")
PARTNERSHIP_WORDS = (
    ("J67", "股权投资合伙企业（有限合伙）"),
    ("L72", "企业管理咨询合伙企业（有限合伙）"),
    ("J67", "创业投资合伙企业（有限合伙）"),
    ("L72", "会计师事务所（普通合伙）"),
)

# --- People -----------------------------------------------------------------------------------------
SURNAMES = (
    "王" * 8
    + "李" * 8
    + "张" * 7
    + "刘" * 6
    + "陈" * 5
    + "杨" * 3
    + "黄" * 2
    + "赵" * 2
    + "吴" * 2
    + "周" * 2
    + "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋东海峰建国志文博晨阳亮成家振德"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧莉萍红琳颖倩洁梅兰琴蕾晶月秀英华佳欣悦怡瑶雯璐"
FOREIGN_NAMES = (
    "David Lee",
    "Michael Chan",
    "Tanaka Hiroshi",
    "Kim Min-jun",
    "Peter Wong",
    "Anna Schmidt",
    "John Smith",
    "Lee Wei Ming",
    "Maria Rossi",
    "Sato Yuki",
)

# --- Records ----------------------------------------------------------------------------------------
# The domain's negative categories, in the vocabulary's order (the draws below depend on the order).
NEGATIVE = tuple(c for c in CATEGORIES if c in NEGATIVE_CATEGORIES)
SEVERITY_WEIGHTS = {  # MINOR, GENERAL, SERIOUS
    "PENALTY": (45, 42, 13),
    "COERCIVE_MEASURE": (30, 55, 15),
    "JUDGMENT_DEFAULT": (0, 30, 70),
    "FALSE_LITIGATION": (0, 20, 80),
    "COMPLAINT": (80, 20, 0),
    "COMMITMENT_BREACH": (30, 60, 10),
    "INTERVIEW": (60, 40, 0),
}
TYPE_CHAR = {
    "PENALTY": "罚",
    "COERCIVE_MEASURE": "强",
    "LICENSE": "许",
    "CONFIRMATION": "确",
    "LEVY": "征",
    "PAYMENT": "给",
    "ADJUDICATION": "裁",
    "COMPENSATION": "赔",
    "REWARD": "奖",
    "INSPECTION": "检",
    "COMPLAINT": "诉",
    "COMMITMENT_BREACH": "诺",
    "INTERVIEW": "谈",
    "HONOR": "荣",
}
PENALTY_TEXTS: dict[str, tuple[Texts, Texts, Texts]] = {  # department -> (MINOR, GENERAL, SERIOUS)
    "SCJG": (
        ("未按规定公示年度报告", "经营场所未明码标价", "未按规定亮照经营"),
        ("销售不合格产品", "发布虚假广告", "未建立食品进货查验记录制度", "销售超过保质期的食品"),
        (
            "销售不符合食品安全标准的食品",
            "生产销售假冒伪劣产品",
            "提交虚假材料取得公司登记",
            "侵犯注册商标专用权情节严重",
        ),
    ),
    "SWJ": (
        ("逾期未办理纳税申报",),
        ("未按规定开具发票", "少缴税款"),
        ("虚开增值税专用发票", "偷税数额较大", "骗取出口退税"),
    ),
    "ZJJ": (
        ("施工现场扬尘防治措施不到位",),
        ("未取得施工许可证擅自施工", "未按规定办理竣工验收备案"),
        ("违法转包、违法分包工程", "挪用商品房预售资金"),
    ),
    "STHJ": (
        ("危险废物贮存场所标识不规范",),
        ("未按规定设置排污口", "超标排放大气污染物"),
        ("通过暗管偷排水污染物", "篡改、伪造自动监测数据"),
    ),
    "RSJ": (("未按规定办理用工备案",), ("未依法缴纳社会保险费",), ("拒不支付劳动报酬", "拖欠农民工工资数额较大")),
    "YJGL": (
        ("安全生产教育培训记录不全",),
        ("未按规定排查治理事故隐患", "特种作业人员未持证上岗"),
        ("发生生产安全责任事故", "违法储存危险化学品"),
    ),
    "JTYS": (
        ("未按规定携带道路运输证",),
        ("车辆超限运输", "未按规定进行车辆维护"),
        ("未取得道路运输经营许可擅自从事经营",),
    ),
    "WJW": (("医疗文书书写不规范",), ("使用非卫生技术人员从事诊疗活动",), ("非法行医", "出具虚假医学证明")),
    "NYNC": (("农药经营台账记录不全",), ("经营假劣农资",), ("生产销售假种子",)),
    "MZJ": (("未按规定参加年度检查",), ("未按章程规定开展活动",), ("违规收取会费、擅自设立分支机构",)),
    "FGW": (("未按规定报送项目信息",), ("未按核准内容建设",), ("骗取政府补助资金",)),
}
TEXTS: dict[str, dict[str, Texts]] = {  # category -> {department: summaries}
    "LICENSE": {
        "SCJG": ("食品经营许可", "工业产品生产许可", "特种设备生产许可"),
        "ZJJ": ("建筑业企业资质核准", "建筑工程施工许可", "商品房预售许可"),
        "STHJ": ("排污许可证核发", "建设项目环境影响评价审批"),
        "YJGL": ("安全生产许可", "危险化学品经营许可"),
        "JTYS": ("道路运输经营许可",),
        "WJW": ("医疗机构执业许可", "公共场所卫生许可"),
        "NYNC": ("农药经营许可", "种子生产经营许可"),
        "MZJ": ("社会组织成立登记",),
        "FGW": ("企业投资项目核准",),
    },
    "INSPECTION": {
        "SCJG": ("“双随机、一公开”抽查：未发现问题", "食品安全监督检查：符合要求", "产品质量监督抽查：合格"),
        "STHJ": ("污染源执法检查：未发现问题",),
        "YJGL": ("安全生产检查：责令改正后复查合格",),
        "ZJJ": ("建筑施工安全检查：合格",),
        "WJW": ("医疗机构监督检查：合格",),
        "MZJ": ("社会组织年度检查：合格",),
        "NYNC": ("农资质量抽检：合格",),
        "JTYS": ("道路运输企业质量信誉考核：合格",),
    },
    "LEVY": {"SWJ": ("依法征收税款", "加收滞纳金", "征收环境保护税")},
    "CONFIRMATION": {
        "FGW": ("企业投资项目备案确认",),
        "ZJJ": ("房屋建筑工程竣工验收备案确认",),
        "SCJG": ("计量器具强制检定确认",),
        "SWJ": ("增值税一般纳税人资格登记确认",),
    },
    "PAYMENT": {"RSJ": ("发放失业保险稳岗返还", "发放吸纳就业补贴"), "FGW": ("拨付专项扶持资金",)},
    "ADJUDICATION": {"RSJ": ("劳动人事争议仲裁裁决",), "SCJG": ("专利侵权纠纷行政裁决",)},
    "COMPENSATION": {"SCJG": ("行政赔偿决定",), "ZJJ": ("国有土地上房屋征收补偿决定",)},
    "REWARD": {"FGW": ("社会信用体系建设先进单位奖励",), "RSJ": ("就业创业工作表彰奖励",), "SWJ": ("纳税贡献奖励",)},
    "HONOR": {
        "SCJG": ("守合同重信用企业", "诚信经营示范店"),
        "SWJ": ("纳税信用A级纳税人",),
        "RSJ": ("劳动保障守法诚信示范单位",),
        "FGW": ("诚信示范企业",),
    },
    "DONATION": {"MZJ": ("向慈善组织捐赠", "抗洪救灾捐款"), "FGW": ("公益捐赠",)},
    "VOLUNTEER": {"MZJ": ("参与社区志愿服务",), "FGW": ("参与文明城市创建志愿服务",)},
    "SELF_DECLARED": {"FGW": ("自愿注册：企业信用承诺及经营信息",), "SCJG": ("自愿公示：产品质量承诺及执行标准",)},
    "COMPLAINT": {
        "SCJG": ("消费者投诉：虚假宣传", "消费者投诉：预付卡退费纠纷", "消费者投诉：商品质量问题"),
        "ZJJ": ("购房者投诉：逾期交房",),
        "RSJ": ("劳动者投诉：拖欠工资",),
    },
    "COERCIVE_MEASURE": {
        "SCJG": ("查封、扣押涉嫌违法物品",),
        "SWJ": ("冻结银行存款", "税收强制执行"),
        "STHJ": ("查封造成污染物排放的设施设备",),
        "YJGL": ("查封存在重大事故隐患的场所",),
    },
    "JUDGMENT_DEFAULT": {"ZJFY": ("有履行能力而拒不履行生效法律文书确定义务", "违反限制消费令")},
    "FALSE_LITIGATION": {"ZJFY": ("以捏造的事实提起民事诉讼，妨害司法秩序",)},
    "INTERVIEW": {"": ("信用约谈：限期整改失信行为", "信用约谈：督促履行法定义务")},
    "COMMITMENT_BREACH": {"": ("未履行告知承诺事项", "承诺内容与实际情况不符")},
}
# category weights by profile: company, individual business, organisation (social/public/rural), person
CATEGORY_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    "company": (
        ("LICENSE", 24),
        ("INSPECTION", 22),
        ("PENALTY", 16),
        ("LEVY", 5),
        ("CONFIRMATION", 4),
        ("PAYMENT", 3),
        ("ADJUDICATION", 3),
        ("COMPLAINT", 5),
        ("COERCIVE_MEASURE", 3),
        ("JUDGMENT_DEFAULT", 3),
        ("REWARD", 2),
        ("HONOR", 4),
        ("DONATION", 1.5),
        ("VOLUNTEER", 0.5),
        ("SELF_DECLARED", 3),
        ("COMPENSATION", 0.5),
        ("FALSE_LITIGATION", 0.3),
    ),
    "shop": (
        ("LICENSE", 30),
        ("INSPECTION", 30),
        ("PENALTY", 18),
        ("COMPLAINT", 10),
        ("HONOR", 3),
        ("LEVY", 4),
        ("SELF_DECLARED", 2),
        ("JUDGMENT_DEFAULT", 1),
    ),
    "org": (
        ("LICENSE", 20),
        ("INSPECTION", 35),
        ("HONOR", 10),
        ("DONATION", 8),
        ("VOLUNTEER", 8),
        ("PENALTY", 6),
        ("PAYMENT", 5),
        ("SELF_DECLARED", 4),
        ("COMPLAINT", 3),
        ("REWARD", 3),
    ),
    "person": (("JUDGMENT_DEFAULT", 40), ("PENALTY", 20), ("HONOR", 15), ("VOLUNTEER", 15), ("DONATION", 10)),
}
PERSON_DEPTS = {"JUDGMENT_DEFAULT": "ZJFY", "PENALTY": "SCJG", "HONOR": "FGW", "VOLUNTEER": "MZJ", "DONATION": "MZJ"}
PERSON_TEXTS = {
    "PENALTY": "无照经营",
    "HONOR": "诚信之星",
    "VOLUNTEER": "参与社区志愿服务",
    "DONATION": "个人公益捐赠",
    "JUDGMENT_DEFAULT": "有履行能力而拒不履行生效法律文书确定义务",
}
# Explicit measures on some joint-punishment listings (codes of graph_api/data/catalogue.json).
JP_MEASURES: tuple[tuple[str, ...], ...] = (
    ("RESTRICT_BIDDING", "RESTRICT_FISCAL_FUNDS", "RESTRICT_HIGH_CONSUMPTION", "MARKET_BAN"),
    ("RESTRICT_BIDDING", "RESTRICT_CREDIT", "INDUSTRY_BAN", "KEY_SUPERVISION"),
    ("RESTRICT_HIGH_CONSUMPTION", "RESTRICT_FLIGHTS", "RESTRICT_HIGH_SPEED_RAIL"),
)

REGULATORS: dict[str, tuple[str, ...]] = {code: regs for code, _, regs, _ in INDUSTRIES}
REGULATORS.update(
    {
        "A01": ("NYNC",),
        "A03": ("NYNC",),
        "A04": ("NYNC",),
        "A05": ("NYNC",),
        "S95": ("MZJ",),
        "Q85": ("MZJ",),
        "S92": ("FGW",),
        "R88": ("SCJG",),
        "J67": ("SCJG", "SWJ"),
    }
)

# --- Identifiers ------------------------------------------------------------------------------------
# The check characters are computed here with the same arithmetic as graph_api.identifiers'
# uscc_check_char and ric_check_char, split so that the sums over the parts that repeat (registration
# prefix and division, birth date) are cached: those functions cost more than the rest of an entity
# line. tests/test_seed_generator.py holds these to the official functions.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}  # GB 32100 values: 0-9, A=10 … Y=30
_ORG_VALUE = {c: (ord(c) - 48 if c <= "9" else ord(c) - 55) for c in USCC_ALPHABET}  # GB 11714: A=10 … Z=35
_USCC_HEAD: dict[str, int] = {}
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RIC_HEAD: dict[str, int] = {}  # districts (6 digits) and birth dates (8): bounded


# One part of an organisation code: its possible strings, and each string's weighted sum for the
# GB 11714 check and for the USCC check (lists indexed alike).
_Part = tuple[list[str], list[int], list[int]]


class _OrgTables:
    """Organisation codes are built from three parts of the (scrambled) entity index; the strings of
    each part and their weighted sums, for the GB 11714 check and the USCC check, come from small
    tables built once: computing them per entity cost more than the rest of the entity line."""

    def __init__(self) -> None:
        # a part is shorter than the weights from its position on: zip stops at its end
        def part(strings: list[str], start: int) -> _Part:
            org = [sum(_ORG_VALUE[c] * w for c, w in zip(x, _ORG_WEIGHTS[start:], strict=False)) for x in strings]
            usc = [sum(_VALUE[c] * w for c, w in zip(x, _USCC_WEIGHTS[8 + start :], strict=False)) for x in strings]
            return strings, org, usc

        d3, d2 = ["%03d" % i for i in range(1000)], ["%02d" % i for i in range(100)]
        self.old = (part(d3, 0), part(d3, 3), part(d2, 6))  # 8 digits: 3 + 3 + 2
        pairs = [a + b for a in USCC_ALPHABET for b in USCC_ALPHABET]
        self.modern = (part(pairs, 2), part(pairs, 4), part(pairs, 6))  # "MA" + 2 + 2 + 2
        self.ma_org = _ORG_VALUE["M"] * _ORG_WEIGHTS[0] + _ORG_VALUE["A"] * _ORG_WEIGHTS[1]
        self.ma_usc = _VALUE["M"] * _USCC_WEIGHTS[8] + _VALUE["A"] * _USCC_WEIGHTS[9]


_ORG_TABLES: _OrgTables | None = None


def _org(index: int, modern: bool) -> tuple[str, int]:
    """Positions 9-17 of a USCC and their share of its check sum: a GB 11714 organisation code with its
    own check character, derived bijectively from the entity index, so two entities never share one.
    Old codes are 8 digits; codes issued since 2015 start with "MA"."""
    global _ORG_TABLES
    t = _ORG_TABLES or _OrgTables()
    _ORG_TABLES = t
    if modern:
        n = (index * 387_420_489 + 123_456_789) % 887_503_681  # 31**6; 3**18 is coprime with 31
        (xs, xo, xu), (ys, yo, yu), (zs, zo, zu) = t.modern
        ab, k3 = divmod(n, 961)
        k1, k2 = divmod(ab, 961)
        body = "MA" + xs[k1] + ys[k2] + zs[k3]
        org, usc = t.ma_org + xo[k1] + yo[k2] + zo[k3], t.ma_usc + xu[k1] + yu[k2] + zu[k3]
    else:
        n = (index * 61_803_399 + 27_182_818) % 100_000_000
        (xs, xo, xu), (ys, yo, yu), (zs, zo, zu) = t.old
        ab, k3 = divmod(n, 100)
        k1, k2 = divmod(ab, 1000)
        body = xs[k1] + ys[k2] + zs[k3]
        org, usc = xo[k1] + yo[k2] + zo[k3], xu[k1] + yu[k2] + zu[k3]
    check = 11 - org % 11
    ch = "X" if check == 10 else "0" if check == 11 else str(check)
    return body + ch, usc + _VALUE[ch] * _USCC_WEIGHTS[16]


def org_code(index: int, modern: bool) -> str:
    return _org(index, modern)[0]


def uscc(prefix: str, district: str, index: int, modern: bool) -> str:
    head = prefix + district
    total = _USCC_HEAD.get(head)
    if total is None:
        total = _USCC_HEAD[head] = sum(map(int.__mul__, map(_VALUE.__getitem__, head), _USCC_WEIGHTS))
    org, share = _org(index, modern)
    return head + org + USCC_ALPHABET[(31 - (total + share) % 31) % 31]


def ric(district: str, birth: str, seq: int) -> str:
    """birth is YYYYMMDD; seq 1-999 (odd for men, even for women)."""
    d = _RIC_HEAD.get(district)
    if d is None:
        d = _RIC_HEAD[district] = sum(map(int.__mul__, map(int, district), _RIC_WEIGHTS))
    b = _RIC_HEAD.get(birth)
    if b is None:
        b = _RIC_HEAD[birth] = sum(map(int.__mul__, map(int, birth), _RIC_WEIGHTS[6:]))
    w = _RIC_WEIGHTS
    total = d + b + (seq // 100) * w[14] + (seq // 10 % 10) * w[15] + (seq % 10) * w[16]
    check = (12 - total % 11) % 11
    return "%s%s%03d%s" % (district, birth, seq, "X" if check == 10 else check)
