"""Synthetic Chinese personal and place names.

Every name is drawn from common surnames and given-name characters by a seeded random generator,
so the demo operation never names a real person, and the same seed always gives the same names.
"""

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
GIVEN = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬"
    "富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民"
    "友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时"
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳"
)

HOTEL_WORDS = (
    "迎宾",
    "康源",
    "金海湾",
    "青湖",
    "云杉",
    "河畔",
    "雪松",
    "长宁",
    "昆仑",
    "锦程",
    "安和",
    "祥瑞",
)
STREET_WORDS = (
    "建设",
    "新华",
    "胜利",
    "和平",
    "团结",
    "光明",
    "幸福",
    "民主",
    "长江",
    "黄河",
    "湟水",
    "昆仑",
    "南山",
    "北山",
    "东川",
    "西川",
    "文化",
    "朝阳",
    "中山",
    "人民",
    "解放",
    "五一",
    "七一",
    "青年",
)
COMPOUND_WORDS = ("小区", "家园", "花园", "新村", "公寓", "苑", "里", "城", "雅居", "佳园")


def person_name(rng: random.Random) -> str:
    """A two- or three-character name: surname plus one or two given-name characters."""
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN) if rng.random() < 0.3 else rng.choice(GIVEN) + rng.choice(GIVEN)
    return surname + given


def compound_name(rng: random.Random) -> str:
    """A residential compound (小区) name, the usual unit a lockdown zone is drawn around."""
    return (
        rng.choice(STREET_WORDS)
        + rng.choice(("东", "西", "南", "北", ""))
        + rng.choice(COMPOUND_WORDS)
    )


def street_name(rng: random.Random) -> str:
    return rng.choice(STREET_WORDS) + rng.choice(("路", "街", "大道", "巷"))
