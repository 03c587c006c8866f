/* colors: matplotlib colour specifications, the viridis colormap, gray
 * levels.  The tables below are data, not code: they were printed from
 * matplotlib 3.6.3 (matplotlib._color_data.CSS4_COLORS and TABLEAU_COLORS,
 * matplotlib._cm_listed._viridis_data) by a throw-away dev script:
 *
 *     from matplotlib import _color_data as cd
 *     from matplotlib._cm_listed import _viridis_data
 *     for name in sorted(cd.CSS4_COLORS):
 *         print('{"%s", 0x%s},' % (name, cd.CSS4_COLORS[name][1:].lower()))
 *     for name in cd.TABLEAU_COLORS:
 *         print('{"%s", 0x%s},' % (name, cd.TABLEAU_COLORS[name][1:].lower()))
 *     for r, g, b in _viridis_data:
 *         print("{%r, %r, %r}," % (r, g, b))
 */
#include "colors.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct named_color {
	const char *name;
	unsigned long rgb; /* 0xrrggbb */
};

/* CSS4 names, sorted (bsearch). */
static const struct named_color css4_colors[] = {
	{"aliceblue", 0xf0f8ff},
	{"antiquewhite", 0xfaebd7},
	{"aqua", 0x00ffff},
	{"aquamarine", 0x7fffd4},
	{"azure", 0xf0ffff},
	{"beige", 0xf5f5dc},
	{"bisque", 0xffe4c4},
	{"black", 0x000000},
	{"blanchedalmond", 0xffebcd},
	{"blue", 0x0000ff},
	{"blueviolet", 0x8a2be2},
	{"brown", 0xa52a2a},
	{"burlywood", 0xdeb887},
	{"cadetblue", 0x5f9ea0},
	{"chartreuse", 0x7fff00},
	{"chocolate", 0xd2691e},
	{"coral", 0xff7f50},
	{"cornflowerblue", 0x6495ed},
	{"cornsilk", 0xfff8dc},
	{"crimson", 0xdc143c},
	{"cyan", 0x00ffff},
	{"darkblue", 0x00008b},
	{"darkcyan", 0x008b8b},
	{"darkgoldenrod", 0xb8860b},
	{"darkgray", 0xa9a9a9},
	{"darkgreen", 0x006400},
	{"darkgrey", 0xa9a9a9},
	{"darkkhaki", 0xbdb76b},
	{"darkmagenta", 0x8b008b},
	{"darkolivegreen", 0x556b2f},
	{"darkorange", 0xff8c00},
	{"darkorchid", 0x9932cc},
	{"darkred", 0x8b0000},
	{"darksalmon", 0xe9967a},
	{"darkseagreen", 0x8fbc8f},
	{"darkslateblue", 0x483d8b},
	{"darkslategray", 0x2f4f4f},
	{"darkslategrey", 0x2f4f4f},
	{"darkturquoise", 0x00ced1},
	{"darkviolet", 0x9400d3},
	{"deeppink", 0xff1493},
	{"deepskyblue", 0x00bfff},
	{"dimgray", 0x696969},
	{"dimgrey", 0x696969},
	{"dodgerblue", 0x1e90ff},
	{"firebrick", 0xb22222},
	{"floralwhite", 0xfffaf0},
	{"forestgreen", 0x228b22},
	{"fuchsia", 0xff00ff},
	{"gainsboro", 0xdcdcdc},
	{"ghostwhite", 0xf8f8ff},
	{"gold", 0xffd700},
	{"goldenrod", 0xdaa520},
	{"gray", 0x808080},
	{"green", 0x008000},
	{"greenyellow", 0xadff2f},
	{"grey", 0x808080},
	{"honeydew", 0xf0fff0},
	{"hotpink", 0xff69b4},
	{"indianred", 0xcd5c5c},
	{"indigo", 0x4b0082},
	{"ivory", 0xfffff0},
	{"khaki", 0xf0e68c},
	{"lavender", 0xe6e6fa},
	{"lavenderblush", 0xfff0f5},
	{"lawngreen", 0x7cfc00},
	{"lemonchiffon", 0xfffacd},
	{"lightblue", 0xadd8e6},
	{"lightcoral", 0xf08080},
	{"lightcyan", 0xe0ffff},
	{"lightgoldenrodyellow", 0xfafad2},
	{"lightgray", 0xd3d3d3},
	{"lightgreen", 0x90ee90},
	{"lightgrey", 0xd3d3d3},
	{"lightpink", 0xffb6c1},
	{"lightsalmon", 0xffa07a},
	{"lightseagreen", 0x20b2aa},
	{"lightskyblue", 0x87cefa},
	{"lightslategray", 0x778899},
	{"lightslategrey", 0x778899},
	{"lightsteelblue", 0xb0c4de},
	{"lightyellow", 0xffffe0},
	{"lime", 0x00ff00},
	{"limegreen", 0x32cd32},
	{"linen", 0xfaf0e6},
	{"magenta", 0xff00ff},
	{"maroon", 0x800000},
	{"mediumaquamarine", 0x66cdaa},
	{"mediumblue", 0x0000cd},
	{"mediumorchid", 0xba55d3},
	{"mediumpurple", 0x9370db},
	{"mediumseagreen", 0x3cb371},
	{"mediumslateblue", 0x7b68ee},
	{"mediumspringgreen", 0x00fa9a},
	{"mediumturquoise", 0x48d1cc},
	{"mediumvioletred", 0xc71585},
	{"midnightblue", 0x191970},
	{"mintcream", 0xf5fffa},
	{"mistyrose", 0xffe4e1},
	{"moccasin", 0xffe4b5},
	{"navajowhite", 0xffdead},
	{"navy", 0x000080},
	{"oldlace", 0xfdf5e6},
	{"olive", 0x808000},
	{"olivedrab", 0x6b8e23},
	{"orange", 0xffa500},
	{"orangered", 0xff4500},
	{"orchid", 0xda70d6},
	{"palegoldenrod", 0xeee8aa},
	{"palegreen", 0x98fb98},
	{"paleturquoise", 0xafeeee},
	{"palevioletred", 0xdb7093},
	{"papayawhip", 0xffefd5},
	{"peachpuff", 0xffdab9},
	{"peru", 0xcd853f},
	{"pink", 0xffc0cb},
	{"plum", 0xdda0dd},
	{"powderblue", 0xb0e0e6},
	{"purple", 0x800080},
	{"rebeccapurple", 0x663399},
	{"red", 0xff0000},
	{"rosybrown", 0xbc8f8f},
	{"royalblue", 0x4169e1},
	{"saddlebrown", 0x8b4513},
	{"salmon", 0xfa8072},
	{"sandybrown", 0xf4a460},
	{"seagreen", 0x2e8b57},
	{"seashell", 0xfff5ee},
	{"sienna", 0xa0522d},
	{"silver", 0xc0c0c0},
	{"skyblue", 0x87ceeb},
	{"slateblue", 0x6a5acd},
	{"slategray", 0x708090},
	{"slategrey", 0x708090},
	{"snow", 0xfffafa},
	{"springgreen", 0x00ff7f},
	{"steelblue", 0x4682b4},
	{"tan", 0xd2b48c},
	{"teal", 0x008080},
	{"thistle", 0xd8bfd8},
	{"tomato", 0xff6347},
	{"turquoise", 0x40e0d0},
	{"violet", 0xee82ee},
	{"wheat", 0xf5deb3},
	{"white", 0xffffff},
	{"whitesmoke", 0xf5f5f5},
	{"yellow", 0xffff00},
	{"yellowgreen", 0x9acd32},
};
/* Tableau names in cycle order: "C0".."C9" index this table too. */
static const struct named_color tableau_colors[] = {
	{"tab:blue", 0x1f77b4},
	{"tab:orange", 0xff7f0e},
	{"tab:green", 0x2ca02c},
	{"tab:red", 0xd62728},
	{"tab:purple", 0x9467bd},
	{"tab:brown", 0x8c564b},
	{"tab:pink", 0xe377c2},
	{"tab:gray", 0x7f7f7f},
	{"tab:olive", 0xbcbd22},
	{"tab:cyan", 0x17becf},
};
/* viridis, 256 entries (matplotlib's ListedColormap data). */
static const double viridis_data[256][3] = {
	{0.267004, 0.004874, 0.329415},
	{0.26851, 0.009605, 0.335427},
	{0.269944, 0.014625, 0.341379},
	{0.271305, 0.019942, 0.347269},
	{0.272594, 0.025563, 0.353093},
	{0.273809, 0.031497, 0.358853},
	{0.274952, 0.037752, 0.364543},
	{0.276022, 0.044167, 0.370164},
	{0.277018, 0.050344, 0.375715},
	{0.277941, 0.056324, 0.381191},
	{0.278791, 0.062145, 0.386592},
	{0.279566, 0.067836, 0.391917},
	{0.280267, 0.073417, 0.397163},
	{0.280894, 0.078907, 0.402329},
	{0.281446, 0.08432, 0.407414},
	{0.281924, 0.089666, 0.412415},
	{0.282327, 0.094955, 0.417331},
	{0.282656, 0.100196, 0.42216},
	{0.28291, 0.105393, 0.426902},
	{0.283091, 0.110553, 0.431554},
	{0.283197, 0.11568, 0.436115},
	{0.283229, 0.120777, 0.440584},
	{0.283187, 0.125848, 0.44496},
	{0.283072, 0.130895, 0.449241},
	{0.282884, 0.13592, 0.453427},
	{0.282623, 0.140926, 0.457517},
	{0.28229, 0.145912, 0.46151},
	{0.281887, 0.150881, 0.465405},
	{0.281412, 0.155834, 0.469201},
	{0.280868, 0.160771, 0.472899},
	{0.280255, 0.165693, 0.476498},
	{0.279574, 0.170599, 0.479997},
	{0.278826, 0.17549, 0.483397},
	{0.278012, 0.180367, 0.486697},
	{0.277134, 0.185228, 0.489898},
	{0.276194, 0.190074, 0.493001},
	{0.275191, 0.194905, 0.496005},
	{0.274128, 0.199721, 0.498911},
	{0.273006, 0.20452, 0.501721},
	{0.271828, 0.209303, 0.504434},
	{0.270595, 0.214069, 0.507052},
	{0.269308, 0.218818, 0.509577},
	{0.267968, 0.223549, 0.512008},
	{0.26658, 0.228262, 0.514349},
	{0.265145, 0.232956, 0.516599},
	{0.263663, 0.237631, 0.518762},
	{0.262138, 0.242286, 0.520837},
	{0.260571, 0.246922, 0.522828},
	{0.258965, 0.251537, 0.524736},
	{0.257322, 0.25613, 0.526563},
	{0.255645, 0.260703, 0.528312},
	{0.253935, 0.265254, 0.529983},
	{0.252194, 0.269783, 0.531579},
	{0.250425, 0.27429, 0.533103},
	{0.248629, 0.278775, 0.534556},
	{0.246811, 0.283237, 0.535941},
	{0.244972, 0.287675, 0.53726},
	{0.243113, 0.292092, 0.538516},
	{0.241237, 0.296485, 0.539709},
	{0.239346, 0.300855, 0.540844},
	{0.237441, 0.305202, 0.541921},
	{0.235526, 0.309527, 0.542944},
	{0.233603, 0.313828, 0.543914},
	{0.231674, 0.318106, 0.544834},
	{0.229739, 0.322361, 0.545706},
	{0.227802, 0.326594, 0.546532},
	{0.225863, 0.330805, 0.547314},
	{0.223925, 0.334994, 0.548053},
	{0.221989, 0.339161, 0.548752},
	{0.220057, 0.343307, 0.549413},
	{0.21813, 0.347432, 0.550038},
	{0.21621, 0.351535, 0.550627},
	{0.214298, 0.355619, 0.551184},
	{0.212395, 0.359683, 0.55171},
	{0.210503, 0.363727, 0.552206},
	{0.208623, 0.367752, 0.552675},
	{0.206756, 0.371758, 0.553117},
	{0.204903, 0.375746, 0.553533},
	{0.203063, 0.379716, 0.553925},
	{0.201239, 0.38367, 0.554294},
	{0.19943, 0.387607, 0.554642},
	{0.197636, 0.391528, 0.554969},
	{0.19586, 0.395433, 0.555276},
	{0.1941, 0.399323, 0.555565},
	{0.192357, 0.403199, 0.555836},
	{0.190631, 0.407061, 0.556089},
	{0.188923, 0.41091, 0.556326},
	{0.187231, 0.414746, 0.556547},
	{0.185556, 0.41857, 0.556753},
	{0.183898, 0.422383, 0.556944},
	{0.182256, 0.426184, 0.55712},
	{0.180629, 0.429975, 0.557282},
	{0.179019, 0.433756, 0.55743},
	{0.177423, 0.437527, 0.557565},
	{0.175841, 0.44129, 0.557685},
	{0.174274, 0.445044, 0.557792},
	{0.172719, 0.448791, 0.557885},
	{0.171176, 0.45253, 0.557965},
	{0.169646, 0.456262, 0.55803},
	{0.168126, 0.459988, 0.558082},
	{0.166617, 0.463708, 0.558119},
	{0.165117, 0.467423, 0.558141},
	{0.163625, 0.471133, 0.558148},
	{0.162142, 0.474838, 0.55814},
	{0.160665, 0.47854, 0.558115},
	{0.159194, 0.482237, 0.558073},
	{0.157729, 0.485932, 0.558013},
	{0.15627, 0.489624, 0.557936},
	{0.154815, 0.493313, 0.55784},
	{0.153364, 0.497, 0.557724},
	{0.151918, 0.500685, 0.557587},
	{0.150476, 0.504369, 0.55743},
	{0.149039, 0.508051, 0.55725},
	{0.147607, 0.511733, 0.557049},
	{0.14618, 0.515413, 0.556823},
	{0.144759, 0.519093, 0.556572},
	{0.143343, 0.522773, 0.556295},
	{0.141935, 0.526453, 0.555991},
	{0.140536, 0.530132, 0.555659},
	{0.139147, 0.533812, 0.555298},
	{0.13777, 0.537492, 0.554906},
	{0.136408, 0.541173, 0.554483},
	{0.135066, 0.544853, 0.554029},
	{0.133743, 0.548535, 0.553541},
	{0.132444, 0.552216, 0.553018},
	{0.131172, 0.555899, 0.552459},
	{0.129933, 0.559582, 0.551864},
	{0.128729, 0.563265, 0.551229},
	{0.127568, 0.566949, 0.550556},
	{0.126453, 0.570633, 0.549841},
	{0.125394, 0.574318, 0.549086},
	{0.124395, 0.578002, 0.548287},
	{0.123463, 0.581687, 0.547445},
	{0.122606, 0.585371, 0.546557},
	{0.121831, 0.589055, 0.545623},
	{0.121148, 0.592739, 0.544641},
	{0.120565, 0.596422, 0.543611},
	{0.120092, 0.600104, 0.54253},
	{0.119738, 0.603785, 0.5414},
	{0.119512, 0.607464, 0.540218},
	{0.119423, 0.611141, 0.538982},
	{0.119483, 0.614817, 0.537692},
	{0.119699, 0.61849, 0.536347},
	{0.120081, 0.622161, 0.534946},
	{0.120638, 0.625828, 0.533488},
	{0.12138, 0.629492, 0.531973},
	{0.122312, 0.633153, 0.530398},
	{0.123444, 0.636809, 0.528763},
	{0.12478, 0.640461, 0.527068},
	{0.126326, 0.644107, 0.525311},
	{0.128087, 0.647749, 0.523491},
	{0.130067, 0.651384, 0.521608},
	{0.132268, 0.655014, 0.519661},
	{0.134692, 0.658636, 0.517649},
	{0.137339, 0.662252, 0.515571},
	{0.14021, 0.665859, 0.513427},
	{0.143303, 0.669459, 0.511215},
	{0.146616, 0.67305, 0.508936},
	{0.150148, 0.676631, 0.506589},
	{0.153894, 0.680203, 0.504172},
	{0.157851, 0.683765, 0.501686},
	{0.162016, 0.687316, 0.499129},
	{0.166383, 0.690856, 0.496502},
	{0.170948, 0.694384, 0.493803},
	{0.175707, 0.6979, 0.491033},
	{0.180653, 0.701402, 0.488189},
	{0.185783, 0.704891, 0.485273},
	{0.19109, 0.708366, 0.482284},
	{0.196571, 0.711827, 0.479221},
	{0.202219, 0.715272, 0.476084},
	{0.20803, 0.718701, 0.472873},
	{0.214, 0.722114, 0.469588},
	{0.220124, 0.725509, 0.466226},
	{0.226397, 0.728888, 0.462789},
	{0.232815, 0.732247, 0.459277},
	{0.239374, 0.735588, 0.455688},
	{0.24607, 0.73891, 0.452024},
	{0.252899, 0.742211, 0.448284},
	{0.259857, 0.745492, 0.444467},
	{0.266941, 0.748751, 0.440573},
	{0.274149, 0.751988, 0.436601},
	{0.281477, 0.755203, 0.432552},
	{0.288921, 0.758394, 0.428426},
	{0.296479, 0.761561, 0.424223},
	{0.304148, 0.764704, 0.419943},
	{0.311925, 0.767822, 0.415586},
	{0.319809, 0.770914, 0.411152},
	{0.327796, 0.77398, 0.40664},
	{0.335885, 0.777018, 0.402049},
	{0.344074, 0.780029, 0.397381},
	{0.35236, 0.783011, 0.392636},
	{0.360741, 0.785964, 0.387814},
	{0.369214, 0.788888, 0.382914},
	{0.377779, 0.791781, 0.377939},
	{0.386433, 0.794644, 0.372886},
	{0.395174, 0.797475, 0.367757},
	{0.404001, 0.800275, 0.362552},
	{0.412913, 0.803041, 0.357269},
	{0.421908, 0.805774, 0.35191},
	{0.430983, 0.808473, 0.346476},
	{0.440137, 0.811138, 0.340967},
	{0.449368, 0.813768, 0.335384},
	{0.458674, 0.816363, 0.329727},
	{0.468053, 0.818921, 0.323998},
	{0.477504, 0.821444, 0.318195},
	{0.487026, 0.823929, 0.312321},
	{0.496615, 0.826376, 0.306377},
	{0.506271, 0.828786, 0.300362},
	{0.515992, 0.831158, 0.294279},
	{0.525776, 0.833491, 0.288127},
	{0.535621, 0.835785, 0.281908},
	{0.545524, 0.838039, 0.275626},
	{0.555484, 0.840254, 0.269281},
	{0.565498, 0.84243, 0.262877},
	{0.575563, 0.844566, 0.256415},
	{0.585678, 0.846661, 0.249897},
	{0.595839, 0.848717, 0.243329},
	{0.606045, 0.850733, 0.236712},
	{0.616293, 0.852709, 0.230052},
	{0.626579, 0.854645, 0.223353},
	{0.636902, 0.856542, 0.21662},
	{0.647257, 0.8584, 0.209861},
	{0.657642, 0.860219, 0.203082},
	{0.668054, 0.861999, 0.196293},
	{0.678489, 0.863742, 0.189503},
	{0.688944, 0.865448, 0.182725},
	{0.699415, 0.867117, 0.175971},
	{0.709898, 0.868751, 0.169257},
	{0.720391, 0.87035, 0.162603},
	{0.730889, 0.871916, 0.156029},
	{0.741388, 0.873449, 0.149561},
	{0.751884, 0.874951, 0.143228},
	{0.762373, 0.876424, 0.137064},
	{0.772852, 0.877868, 0.131109},
	{0.783315, 0.879285, 0.125405},
	{0.79376, 0.880678, 0.120005},
	{0.804182, 0.882046, 0.114965},
	{0.814576, 0.883393, 0.110347},
	{0.82494, 0.88472, 0.106217},
	{0.83527, 0.886029, 0.102646},
	{0.845561, 0.887322, 0.099702},
	{0.85581, 0.888601, 0.097452},
	{0.866013, 0.889868, 0.095953},
	{0.876168, 0.891125, 0.09525},
	{0.886271, 0.892374, 0.095374},
	{0.89632, 0.893616, 0.096335},
	{0.906311, 0.894855, 0.098125},
	{0.916242, 0.896091, 0.100717},
	{0.926106, 0.89733, 0.104071},
	{0.935904, 0.89857, 0.108131},
	{0.945636, 0.899815, 0.112838},
	{0.9553, 0.901065, 0.118128},
	{0.964894, 0.902323, 0.123941},
	{0.974417, 0.90359, 0.130215},
	{0.983868, 0.904867, 0.136897},
	{0.993248, 0.906157, 0.143936},
};

/* matplotlib's BASE_COLORS: single letters, case-sensitive. */
static const struct {
	char letter;
	double r, g, b;
} base_colors[] = {
	{'b', 0, 0, 1}, {'g', 0, 0.5, 0}, {'r', 1, 0, 0}, {'c', 0, 0.75, 0.75},
	{'m', 0.75, 0, 0.75}, {'y', 0.75, 0.75, 0}, {'k', 0, 0, 0}, {'w', 1, 1, 1},
};

static struct dl_color
from_hex24(unsigned long v)
{
	struct dl_color c = {
		(double)((v >> 16) & 0xff) / 255.0,
		(double)((v >> 8) & 0xff) / 255.0,
		(double)(v & 0xff) / 255.0,
	};
	return c;
}

static int
cmp_name(const void *key, const void *elem)
{
	const struct named_color *nc = elem;
	return strcmp(key, nc->name);
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "#rgb", "#rgba", "#rrggbb", "#rrggbbaa". */
static bool
parse_hex(const char *s, struct dl_color *rgb, double *alpha)
{
	size_t n = strlen(s + 1);
	int v[8];
	if (n != 3 && n != 4 && n != 6 && n != 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((v[i] = hexval((unsigned char)s[1 + i])) < 0)
			return false;
	double comp[4] = {0, 0, 0, 1};
	size_t ncomp = (n == 3 || n == 6) ? 3 : 4;
	for (size_t i = 0; i < ncomp; i++) {
		int byte = (n <= 4) ? v[i] * 17 : v[2 * i] * 16 + v[2 * i + 1];
		comp[i] = byte / 255.0;
	}
	if (rgb != NULL)
		*rgb = (struct dl_color){comp[0], comp[1], comp[2]};
	if (alpha != NULL)
		*alpha = comp[3];
	return true;
}

/* "0.8": a gray level, as matplotlib reads a string holding a float. */
static bool
parse_gray(const char *s, struct dl_color *rgb, double *alpha)
{
	char *end;
	if (!(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return false;
	double g = strtod(s, &end);
	if (*end != '\0' || !(g >= 0 && g <= 1))
		return false;
	if (rgb != NULL)
		*rgb = (struct dl_color){g, g, g};
	if (alpha != NULL)
		*alpha = 1;
	return true;
}

bool
color_parse(const char *spec, struct dl_color *rgb, double *alpha)
{
	if (spec == NULL || spec[0] == '\0')
		return false;
	if (spec[0] == '#')
		return parse_hex(spec, rgb, alpha);

	struct dl_color c;
	if (spec[1] == '\0') {
		for (size_t i = 0; i < ARRAY_LEN(base_colors); i++)
			if (base_colors[i].letter == spec[0]) {
				c = (struct dl_color){base_colors[i].r, base_colors[i].g,
				    base_colors[i].b};
				goto found;
			}
	}
	/* "CN": the default cycle, tab10. */
	if (spec[0] == 'C' && spec[1] != '\0') {
		const char *p = spec + 1;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '\0') {
			unsigned long n = strtoul(spec + 1, NULL, 10);
			c = from_hex24(tableau_colors[n % ARRAY_LEN(tableau_colors)].rgb);
			goto found;
		}
	}
	if (parse_gray(spec, rgb, alpha))
		return true;

	char lower[64];
	size_t len = strlen(spec);
	if (len >= sizeof lower)
		return false;
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)spec[i]);
	if (strcmp(lower, "none") == 0) {
		if (rgb != NULL)
			*rgb = (struct dl_color){0, 0, 0};
		if (alpha != NULL)
			*alpha = 0;
		return true;
	}
	if (strncmp(lower, "tab:", 4) == 0) {
		for (size_t i = 0; i < ARRAY_LEN(tableau_colors); i++)
			if (strcmp(lower, tableau_colors[i].name) == 0) {
				c = from_hex24(tableau_colors[i].rgb);
				goto found;
			}
		return false;
	}
	const struct named_color *nc = bsearch(lower, css4_colors, ARRAY_LEN(css4_colors),
	    sizeof css4_colors[0], cmp_name);
	if (nc == NULL)
		return false;
	c = from_hex24(nc->rgb);
found:
	if (rgb != NULL)
		*rgb = c;
	if (alpha != NULL)
		*alpha = 1;
	return true;
}

const char *
color_suggest(const char *spec)
{
	char lower[64];
	size_t len = spec ? strlen(spec) : 0;
	if (len == 0 || len >= sizeof lower)
		return NULL;
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)spec[i]);
	const char *best = NULL;
	int best_d = INT_MAX;
	for (size_t i = 0; i < ARRAY_LEN(css4_colors); i++) {
		int d = edit_distance(lower, css4_colors[i].name);
		if (d < best_d) {
			best_d = d;
			best = css4_colors[i].name;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(tableau_colors); i++) {
		int d = edit_distance(lower, tableau_colors[i].name);
		if (d < best_d) {
			best_d = d;
			best = tableau_colors[i].name;
		}
	}
	int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	return best_d <= limit ? best : NULL;
}

bool
colormap_known(const char *name)
{
	return name != NULL && strcmp(name, "viridis") == 0;
}

int
colormap_index(double v)
{
	const int n = (int)ARRAY_LEN(viridis_data);
	if (isnan(v))
		return -1;
	/* Colormap.__call__: xa = v * N; xa == N -> N - 1; clip to [-1, N];
	 * truncate; out of range -> the under/over colours (first/last). */
	double xa = v * n;
	if (xa < 0)
		return 0;
	if (xa >= n)
		return n - 1;
	return (int)xa;
}

struct dl_color
color_map(const char *name, double v)
{
	(void)name; /* viridis is the only map the figures use */
	int i = colormap_index(v);
	if (i < 0)
		return (struct dl_color){0, 0, 0};
	return (struct dl_color){viridis_data[i][0], viridis_data[i][1], viridis_data[i][2]};
}

double
color_luminance(struct dl_color c)
{
	return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}

struct dl_color
color_gray(double g)
{
	if (!(g > 0))
		g = 0;
	if (g > 1)
		g = 1;
	return (struct dl_color){g, g, g};
}
