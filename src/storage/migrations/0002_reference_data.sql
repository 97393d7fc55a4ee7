-- The reference data itself: the 34 first-tier administrative units (since 1 July 2025), the four
-- target groups, and the digital competency framework of Circular 02/2025/TT-BGDĐT.
-- Codes and the framework's wording are unconfirmed in places (shared/domain.md): correct them as
-- data with a later migration or an administrator's edit, never by editing this file.

INSERT INTO admin_units (code, kind, name, short_name, parent_code) VALUES
  ('01', 'province', 'Thành phố Hà Nội', 'Hà Nội', NULL),
  ('04', 'province', 'Tỉnh Cao Bằng', 'Cao Bằng', NULL),
  ('08', 'province', 'Tỉnh Tuyên Quang', 'Tuyên Quang', NULL),
  ('11', 'province', 'Tỉnh Điện Biên', 'Điện Biên', NULL),
  ('12', 'province', 'Tỉnh Lai Châu', 'Lai Châu', NULL),
  ('14', 'province', 'Tỉnh Sơn La', 'Sơn La', NULL),
  ('15', 'province', 'Tỉnh Lào Cai', 'Lào Cai', NULL),
  ('19', 'province', 'Tỉnh Thái Nguyên', 'Thái Nguyên', NULL),
  ('20', 'province', 'Tỉnh Lạng Sơn', 'Lạng Sơn', NULL),
  ('22', 'province', 'Tỉnh Quảng Ninh', 'Quảng Ninh', NULL),
  ('24', 'province', 'Tỉnh Bắc Ninh', 'Bắc Ninh', NULL),
  ('25', 'province', 'Tỉnh Phú Thọ', 'Phú Thọ', NULL),
  ('31', 'province', 'Thành phố Hải Phòng', 'Hải Phòng', NULL),
  ('33', 'province', 'Tỉnh Hưng Yên', 'Hưng Yên', NULL),
  ('37', 'province', 'Tỉnh Ninh Bình', 'Ninh Bình', NULL),
  ('38', 'province', 'Tỉnh Thanh Hóa', 'Thanh Hóa', NULL),
  ('40', 'province', 'Tỉnh Nghệ An', 'Nghệ An', NULL),
  ('42', 'province', 'Tỉnh Hà Tĩnh', 'Hà Tĩnh', NULL),
  ('44', 'province', 'Tỉnh Quảng Trị', 'Quảng Trị', NULL),
  ('46', 'province', 'Thành phố Huế', 'Huế', NULL),
  ('48', 'province', 'Thành phố Đà Nẵng', 'Đà Nẵng', NULL),
  ('51', 'province', 'Tỉnh Quảng Ngãi', 'Quảng Ngãi', NULL),
  ('52', 'province', 'Tỉnh Gia Lai', 'Gia Lai', NULL),
  ('56', 'province', 'Tỉnh Khánh Hòa', 'Khánh Hòa', NULL),
  ('66', 'province', 'Tỉnh Đắk Lắk', 'Đắk Lắk', NULL),
  ('68', 'province', 'Tỉnh Lâm Đồng', 'Lâm Đồng', NULL),
  ('75', 'province', 'Tỉnh Đồng Nai', 'Đồng Nai', NULL),
  ('79', 'province', 'Thành phố Hồ Chí Minh', 'Hồ Chí Minh', NULL),
  ('80', 'province', 'Tỉnh Tây Ninh', 'Tây Ninh', NULL),
  ('82', 'province', 'Tỉnh Đồng Tháp', 'Đồng Tháp', NULL),
  ('86', 'province', 'Tỉnh Vĩnh Long', 'Vĩnh Long', NULL),
  ('91', 'province', 'Tỉnh An Giang', 'An Giang', NULL),
  ('92', 'province', 'Thành phố Cần Thơ', 'Cần Thơ', NULL),
  ('96', 'province', 'Tỉnh Cà Mau', 'Cà Mau', NULL);

INSERT INTO target_groups (code, position, name_vi, name_en, description_vi, description_en) VALUES
  ('official', 1, 'Cán bộ, công chức, viên chức', 'Officials and public employees', 'Sử dụng hiệu quả các nền tảng số trong công việc.', 'Use digital platforms effectively at work.'),
  ('student', 2, 'Học sinh, sinh viên', 'Pupils and students', 'Kiến thức số để học tập và tự bảo vệ mình trên mạng.', 'Digital knowledge for learning and for protecting themselves online.'),
  ('worker', 3, 'Người lao động', 'Workers', 'Dùng thiết bị thông minh để nâng cao năng suất lao động.', 'Use smart devices to raise productivity.'),
  ('citizen', 4, 'Người dân', 'Citizens', 'Biết các dịch vụ số thiết yếu và dịch vụ công trực tuyến an toàn.', 'Know the essential digital services and safe online public services.');

INSERT INTO frameworks (code, position, name_vi, name_en, source_vi, source_en, description_vi, description_en) VALUES
  ('tt02-2025', 1, 'Khung năng lực số', 'Digital competency framework', 'Thông tư 02/2025/TT-BGDĐT, có hiệu lực từ 11/3/2025', 'Circular 02/2025/TT-BGDĐT, in force from 11 March 2025', '6 miền năng lực, 24 năng lực thành phần và 8 mức độ thành thạo trong 4 bậc; xây dựng trên khung DigComp 2.2 của Liên minh châu Âu, bổ sung miền ứng dụng trí tuệ nhân tạo.', '6 domains, 24 competencies and 8 proficiency levels in 4 tiers; built on the EU DigComp 2.2 framework, with an added domain for applying artificial intelligence.');

INSERT INTO framework_levels (framework_code, level, tier_code, tier_vi, tier_en) VALUES
  ('tt02-2025', 1, 'CB', 'Cơ bản', 'Basic'),
  ('tt02-2025', 2, 'CB', 'Cơ bản', 'Basic'),
  ('tt02-2025', 3, 'TC', 'Trung cấp', 'Intermediate'),
  ('tt02-2025', 4, 'TC', 'Trung cấp', 'Intermediate'),
  ('tt02-2025', 5, 'NC', 'Nâng cao', 'Advanced'),
  ('tt02-2025', 6, 'NC', 'Nâng cao', 'Advanced'),
  ('tt02-2025', 7, 'CS', 'Chuyên sâu', 'Specialised'),
  ('tt02-2025', 8, 'CS', 'Chuyên sâu', 'Specialised');

INSERT INTO framework_areas (framework_code, code, position, name_vi, name_en) VALUES
  ('tt02-2025', '1', 1, 'Khai thác dữ liệu và thông tin', 'Information and data literacy'),
  ('tt02-2025', '2', 2, 'Giao tiếp và hợp tác trong môi trường số', 'Communication and collaboration'),
  ('tt02-2025', '3', 3, 'Sáng tạo nội dung số', 'Digital content creation'),
  ('tt02-2025', '4', 4, 'An toàn', 'Safety'),
  ('tt02-2025', '5', 5, 'Giải quyết vấn đề', 'Problem solving'),
  ('tt02-2025', '6', 6, 'Ứng dụng trí tuệ nhân tạo', 'Applying artificial intelligence');

INSERT INTO competencies (framework_code, code, area_code, position, name_vi, name_en) VALUES
  ('tt02-2025', '1.1', '1', 1, 'Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số', 'Browsing, searching and filtering data, information and digital content'),
  ('tt02-2025', '1.2', '1', 2, 'Đánh giá dữ liệu, thông tin và nội dung số', 'Evaluating data, information and digital content'),
  ('tt02-2025', '1.3', '1', 3, 'Quản lý dữ liệu, thông tin và nội dung số', 'Managing data, information and digital content'),
  ('tt02-2025', '2.1', '2', 4, 'Tương tác thông qua công nghệ số', 'Interacting through digital technologies'),
  ('tt02-2025', '2.2', '2', 5, 'Chia sẻ thông tin và nội dung thông qua công nghệ số', 'Sharing through digital technologies'),
  ('tt02-2025', '2.3', '2', 6, 'Sử dụng công nghệ số để thực hiện trách nhiệm công dân', 'Engaging in citizenship through digital technologies'),
  ('tt02-2025', '2.4', '2', 7, 'Hợp tác thông qua công nghệ số', 'Collaborating through digital technologies'),
  ('tt02-2025', '2.5', '2', 8, 'Quy tắc ứng xử trên mạng', 'Netiquette'),
  ('tt02-2025', '2.6', '2', 9, 'Quản lý danh tính số', 'Managing digital identity'),
  ('tt02-2025', '3.1', '3', 10, 'Phát triển nội dung số', 'Developing digital content'),
  ('tt02-2025', '3.2', '3', 11, 'Tích hợp và tạo lập lại nội dung số', 'Integrating and re-elaborating digital content'),
  ('tt02-2025', '3.3', '3', 12, 'Thực thi bản quyền và giấy phép', 'Copyright and licences'),
  ('tt02-2025', '3.4', '3', 13, 'Lập trình', 'Programming'),
  ('tt02-2025', '4.1', '4', 14, 'Bảo vệ thiết bị', 'Protecting devices'),
  ('tt02-2025', '4.2', '4', 15, 'Bảo vệ dữ liệu cá nhân và quyền riêng tư', 'Protecting personal data and privacy'),
  ('tt02-2025', '4.3', '4', 16, 'Bảo vệ sức khỏe và an sinh số', 'Protecting health and well-being'),
  ('tt02-2025', '4.4', '4', 17, 'Bảo vệ môi trường', 'Protecting the environment'),
  ('tt02-2025', '5.1', '5', 18, 'Giải quyết các vấn đề kỹ thuật', 'Solving technical problems'),
  ('tt02-2025', '5.2', '5', 19, 'Xác định nhu cầu và giải pháp công nghệ', 'Identifying needs and technological responses'),
  ('tt02-2025', '5.3', '5', 20, 'Sử dụng sáng tạo công nghệ số', 'Creatively using digital technologies'),
  ('tt02-2025', '5.4', '5', 21, 'Xác định những hạn chế cần cải thiện về năng lực số', 'Identifying digital competence gaps'),
  ('tt02-2025', '6.1', '6', 22, 'Hiểu biết về trí tuệ nhân tạo', 'Understanding artificial intelligence'),
  ('tt02-2025', '6.2', '6', 23, 'Sử dụng trí tuệ nhân tạo có đạo đức và trách nhiệm', 'Using artificial intelligence ethically and responsibly'),
  ('tt02-2025', '6.3', '6', 24, 'Đánh giá các công cụ trí tuệ nhân tạo', 'Evaluating artificial intelligence tools');
