//! Words for synthetic names. Names are derived from an index, not drawn at random, so that
//! they are unique where the contract says so (street names, unit names, community names
//! within a street) at any size.

const STREET_FIRST: &[&str] = &[
    "西江", "港宁", "东湖", "南岭", "北塘", "青山", "白沙", "金桥", "玉泉", "长安", "新华", "和平",
    "解放", "人民", "建设", "朝阳", "红星", "光明", "幸福", "民主", "振兴", "滨江", "望城", "莲花",
    "桂花",
];
const STREET_SECOND: &[&str] = &[
    "", "东", "西", "南", "北", "中", "路", "桥", "湾", "岭", "园", "坪", "湖", "山", "塘", "岗",
    "港", "洲", "坡", "门",
];

const PLACE_FIRST: &[&str] = &[
    "石", "青", "翠", "枫", "柳", "桃", "杏", "梅", "竹", "松", "兰", "菊", "荷", "樟", "榕", "银",
    "金", "玉", "清", "明", "宁", "安", "康", "福", "祥", "瑞", "和", "丰", "泰", "华", "新", "永",
    "长", "春", "秋", "星", "月", "云", "霞", "阳", "晨", "溪", "泉", "湘", "楚", "汉", "麓", "岳",
    "潭", "洞",
];
const PLACE_SECOND: &[&str] = &[
    "羊塘", "林", "园", "苑", "湾", "桥", "坪", "里", "岭", "港", "塘", "山", "湖", "洲", "井",
    "街", "巷", "坊", "庄", "村", "城", "亭", "台", "阁", "源", "溪", "滩", "岸", "峰", "冲", "坡",
    "垸", "埠", "田", "堤", "圩", "渡", "场", "院", "铺",
];

/// (kind, name ending) of the units around a community. Each community's own units take four
/// entries five apart, which are always distinct.
pub const UNIT_BASES: &[(&str, &str)] = &[
    ("机关", "派出所"),
    ("企业", "供电所"),
    ("学校", "小学"),
    ("医院", "社区卫生服务中心"),
    ("物业", "物业服务中心"),
    ("社会组织", "志愿者协会"),
    ("机关", "税务所"),
    ("企业", "燃气公司营业厅"),
    ("学校", "中学"),
    ("医院", "中医院"),
    ("企业", "物流园"),
    ("机关", "司法所"),
    ("学校", "幼儿园"),
    ("企业", "银行支行"),
    ("社会组织", "社工服务站"),
    ("机关", "消防救援站"),
    ("企业", "商贸公司"),
    ("学校", "职业技术学校"),
    ("医院", "口腔医院"),
    ("企业", "建设集团项目部"),
    ("机关", "市场监管所"),
];

pub const PROJECT_THEMES: &[&str] = &[
    "垃圾分类督导",
    "老年大学",
    "老年兴趣小组",
    "健康义诊",
    "四点半课堂",
    "楼道清洁",
    "飞线充电整治",
    "邻里节",
    "法律咨询",
    "防诈骗宣传",
    "消防演练",
    "助老送餐",
    "文明养犬",
    "口袋公园改造",
    "停车秩序整治",
    "志愿服务积分",
    "家风讲座",
    "暑期托管",
    "便民维修",
    "心理疏导",
    "就业招聘会",
    "非遗手工课",
    "交通安全宣讲",
    "绿化认养",
    "夜间巡逻",
];

pub const NEED_TITLES: &[&str] = &[
    "加装电梯",
    "停车位不足",
    "老年人助餐",
    "儿童课后看护",
    "路灯维修",
    "垃圾清运不及时",
    "健身器材老化",
    "快递柜不足",
    "无障碍通道",
    "积水点改造",
    "电动车充电桩",
    "社区食堂",
];

pub const RESOURCE_TITLES: &[&str] = &[
    "会议室开放",
    "医生义诊",
    "法律顾问",
    "志愿者队伍",
    "培训课程",
    "车辆支援",
    "图书捐赠",
    "活动经费",
    "技术支持",
    "爱心餐食",
    "运动场地开放",
];

/// Street `index` (from 0): unique for every index.
pub fn street(index: usize) -> String {
    let (first, second) = (STREET_FIRST.len(), STREET_SECOND.len());
    let round = index / (first * second);
    let suffix = if round == 0 {
        String::new()
    } else {
        (round + 1).to_string()
    };
    format!(
        "{}{}{suffix}街道",
        STREET_FIRST[index % first],
        STREET_SECOND[mix(index, first, second)]
    )
}

/// The place name of community `index` (from 0), unique for every index; the community is
/// called `{place}社区` and its units `{place}{ending}`.
pub fn place(index: usize) -> String {
    let (first, second) = (PLACE_FIRST.len(), PLACE_SECOND.len());
    let round = index / (first * second);
    let suffix = if round == 0 {
        String::new()
    } else {
        (round + 1).to_string()
    };
    format!(
        "{}{}{suffix}",
        PLACE_FIRST[index % first],
        PLACE_SECOND[mix(index, first, second)]
    )
}

const FAMILY: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "梁", "郑", "谢", "宋", "唐", "韩", "曹", "许", "邓", "萧", "冯", "彭",
];
const GIVEN: &[&str] = &[
    "芳", "强", "静", "敏", "伟", "丽", "军", "勇", "杰", "娟", "涛", "明", "超", "秀英", "建华",
    "志强", "海燕", "晓东", "丽华", "国庆", "春梅", "文斌", "雪梅", "红霞", "立新", "玉兰", "德明",
    "佳怡", "子轩", "欣怡", "浩然", "思远", "雨桐", "俊杰", "婷婷", "建国", "桂英",
];

/// A party member's name for index `index`: family name and given name, repeating now and
/// then as real names do.
pub fn person(index: usize) -> String {
    let family = FAMILY[(index * 7 + index / 13) % FAMILY.len()];
    let given = GIVEN[(index * 11 + index / 5) % GIVEN.len()];
    format!("{family}{given}")
}

/// The second word's position: shifted by the first word's, so that neighbours differ in
/// both words, while (first, second) stays a one-to-one function of `index` within a round.
fn mix(index: usize, first: usize, second: usize) -> usize {
    (index / first + (index % first) * 3) % second
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_at_any_size() {
        let streets: HashSet<String> = (0..2_000).map(street).collect();
        assert_eq!(streets.len(), 2_000);
        let places: HashSet<String> = (0..12_000).map(place).collect();
        assert_eq!(places.len(), 12_000);
        // A place never equals another place followed by a unit ending, nor vice versa:
        // unit names are place + ending and must be unique too.
        let units: HashSet<String> = (0..12_000)
            .flat_map(|i| {
                let p = place(i);
                (0..UNIT_BASES.len()).map(move |j| format!("{p}{}", UNIT_BASES[j].1))
            })
            .collect();
        assert_eq!(units.len(), 12_000 * UNIT_BASES.len());
    }
}
